import Foundation

/// Dictionary encoding for a text column: each distinct string is stored once and deals
/// hold a 32-bit code. Code 0 is the empty value.
///
/// Tests are resolved against the dictionary once per statement (a few thousand
/// distinct owners, not a million rows), then rows compare codes.
///
/// Strings are one value when Swift's `==` says so: "é" as one scalar or as "e" and an
/// accent. The index is hand-written for speed: it hashes a string's NFC bytes a word at
/// a time and keeps each hash, so growing and merging never hash again. Swift's own
/// `[String: UInt32]` normalises byte by byte through a closure and rehashes every key
/// as it grows: a column of a million distinct deal names took 3 s to load that way.
public struct StringDictionary: Sendable, Equatable {
  public private(set) var strings: [String] = [""]
  /// Each string's hash, by code.
  private var hashes: [UInt64] = [StringDictionary.hash("")]
  /// Open addressing: each slot holds a code, or -1; at most half full.
  private var slots: [Int32] = StringDictionary.emptySlots(16, first: StringDictionary.hash(""))

  public init() {}

  public var count: Int { strings.count }

  public subscript(code: UInt32) -> String { strings[Int(code)] }

  public func code(of string: String) -> UInt32? { find(string, hash: StringDictionary.hash(string)) }

  /// The code for `string`, adding it when new.
  public mutating func intern(_ string: String) -> UInt32 {
    let hash = StringDictionary.hash(string)
    return find(string, hash: hash) ?? add(string, hash: hash)
  }

  /// The codes `other`'s strings have here, in `other`'s code order, adding the ones
  /// this dictionary lacks. Their hashes come with them.
  public mutating func merge(_ other: StringDictionary) -> [UInt32] {
    other.strings.indices.map { code in
      let string = other.strings[code]
      let hash = other.hashes[code]
      return find(string, hash: hash) ?? add(string, hash: hash)
    }
  }

  public static func == (lhs: StringDictionary, rhs: StringDictionary) -> Bool {
    lhs.strings == rhs.strings
  }

  private func find(_ string: String, hash: UInt64) -> UInt32? {
    slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      while true {
        let code = slots[slot]
        if code < 0 { return nil }
        if hashes[Int(code)] == hash && StringDictionary.same(strings[Int(code)], string) { return UInt32(code) }
        slot = (slot + 1) & mask
      }
    }
  }

  private mutating func add(_ string: String, hash: UInt64) -> UInt32 {
    let code = UInt32(strings.count)
    strings.append(string)
    hashes.append(hash)
    if strings.count * 2 > slots.count {
      slots = StringDictionary.emptySlots(slots.count * 2, first: hashes[0])
      for code in 1..<strings.count { place(UInt32(code)) }
    } else {
      place(code)
    }
    return code
  }

  private mutating func place(_ code: UInt32) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hashes[Int(code)]) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(code)
  }

  /// A table of `count` slots holding only code 0, the empty string.
  private static func emptySlots(_ count: Int, first: UInt64) -> [Int32] {
    var slots = [Int32](repeating: -1, count: count)
    slots[Int(truncatingIfNeeded: first) & (count - 1)] = 0
    return slots
  }

  /// A hash that canonically equivalent strings share: that of their NFC bytes. Most
  /// text is ASCII or NFC already (a quick check says so) and is hashed as it is.
  static func hash(_ string: String) -> UInt64 {
    var bytes = string
    if let hash = bytes.withUTF8({ isASCII($0) ? ByteHash.hash($0) : nil }) { return hash }
    if isQuicklyNFC(string) { return bytes.withUTF8 { ByteHash.hash($0) } }
    return string._nfcCodeUnits.withUnsafeBufferPointer { ByteHash.hash($0) }
  }

  private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress.map(UnsafeRawPointer.init) else { return true }
    var offset = 0
    while offset + 8 <= bytes.count {
      if base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
      offset += 8
    }
    while offset < bytes.count {
      if bytes[offset] >= 0x80 { return false }
      offset += 1
    }
    return true
  }

  /// The standard library's NFC quick check: true means certainly NFC; false means
  /// "normalise to be sure" (and is all an older system can say).
  private static func isQuicklyNFC(_ string: String) -> Bool {
    if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) {
      var span = string.utf8Span
      return span.checkForNFC(quickCheck: true)
    }
    return false
  }

  /// Byte-equal strings are equal; others are compared by Swift's canonical equivalence.
  private static func same(_ left: String, _ right: String) -> Bool {
    var left = left
    var right = right
    let bytesEqual = left.withUTF8 { a in
      right.withUTF8 { b in
        a.count == b.count
          && (a.isEmpty
            || ByteHash.equal(UnsafeRawPointer(a.baseAddress!), UnsafeRawPointer(b.baseAddress!), count: a.count))
      }
    }
    return bytesEqual || left == right
  }
}

extension String {
  /// Unicode case folding, used for every case-insensitive comparison.
  public var folded: String { folding(options: [.caseInsensitive], locale: nil) }
}
