import Dispatch
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
  /// The strings by code, packed in one buffer.
  public private(set) var strings = PackedStrings()
  /// The low half of each string's hash, by code: where it goes in the index (tables
  /// stay far below 2³² slots) and a quick test before comparing bytes.
  private var hashes: [UInt32] = [StringDictionary.hash("")]
  /// Open addressing: each slot holds a code, or -1; at most half full.
  private var slots: [Int32] = StringDictionary.emptySlots(16, first: StringDictionary.hash(""))
  /// The strings case-folded, for text tests (`FoldedStrings`); not part of the value.
  private(set) var folds = FoldedStrings()

  public init() { strings.append("") }

  /// The dictionary whose code i is `strings[i]` (the first must be ""), as a snapshot
  /// stores it; nil when two of them are the same value. Each string is hashed once (on
  /// all cores for a big column) and placed once, into a table sized for all of them.
  init?(distinct strings: PackedStrings) {
    guard strings.first?.isEmpty == true else { return nil }
    let hashes = ParallelSlots<[UInt32]>(count: 2)
    let half = strings.count / 2
    let parts = strings.count >= 1 << 16 ? [0..<half, half..<strings.count] : [0..<strings.count, 0..<0]
    DispatchQueue.concurrentPerform(iterations: 2) { part in
      hashes[part] = parts[part].map { strings.withBytes(of: $0, StringDictionary.hash(bytes:)) }
    }
    let size = StringDictionary.size(for: strings.count)
    let all = hashes[0] + hashes[1]
    guard let slots = StringDictionary.placed(strings, hashes: all, size: size) else { return nil }
    self.strings = strings
    self.hashes = all
    self.slots = slots
  }

  /// A dictionary of these strings, each once, in this order ("" first).
  init?(distinct strings: [String]) {
    var packed = PackedStrings()
    for string in strings { packed.append(string) }
    self.init(distinct: packed)
  }

  public var count: Int { strings.count }

  public subscript(code: UInt32) -> String { strings[Int(code)] }

  public func code(of string: String) -> UInt32? {
    var string = string
    return string.withUTF8 { find($0, hash: StringDictionary.hash(bytes: $0)) }
  }

  /// The code for `string`, adding it when new.
  public mutating func intern(_ string: String) -> UInt32 {
    var string = string
    return string.withUTF8 { intern(bytes: $0) }
  }

  /// The code for the text whose UTF-8 is `bytes`, adding it when new.
  mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    let hash = StringDictionary.hash(bytes: bytes)
    return find(bytes, hash: hash) ?? add(bytes, hash: hash)
  }

  /// The codes `other`'s strings have here, in `other`'s code order, adding the ones
  /// this dictionary lacks. Their hashes come with them.
  public mutating func merge(_ other: StringDictionary) -> [UInt32] {
    other.strings.indices.map { code in
      let hash = other.hashes[code]
      return other.strings.withBytes(of: code) { find($0, hash: hash) ?? add($0, hash: hash) }
    }
  }

  /// Room for `count` strings in all, so that adding them never rebuilds the index (a
  /// column of distinct names would otherwise be placed again at every doubling).
  public mutating func reserveCapacity(_ count: Int) {
    strings.reserveCapacity(count)
    hashes.reserveCapacity(count)
    let size = StringDictionary.size(for: count)
    if size > slots.count { rebuild(size) }
  }

  public static func == (lhs: StringDictionary, rhs: StringDictionary) -> Bool {
    lhs.strings == rhs.strings
  }

  private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> UInt32? {
    slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var slot = Int(truncatingIfNeeded: hash) & mask
      while true {
        let code = slots[slot]
        if code < 0 { return nil }
        if hashes[Int(code)] == hash && same(code: Int(code), bytes) { return UInt32(code) }
        slot = (slot + 1) & mask
      }
    }
  }

  private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> UInt32 {
    // A copy sharing the folds may grow differently: this one starts its own.
    if !isKnownUniquelyReferenced(&folds) { folds = FoldedStrings() }
    let code = UInt32(strings.count)
    strings.append(bytes: bytes)
    hashes.append(hash)
    if strings.count * 2 > slots.count { rebuild(slots.count * 2) } else { place(code) }
    return code
  }

  /// The index rebuilt with `size` slots.
  private mutating func rebuild(_ size: Int) {
    slots = StringDictionary.emptySlots(size, first: hashes[0])
    for code in 1..<strings.count { place(UInt32(code)) }
  }

  /// Slots for `count` strings: a power of two, at most half full.
  private static func size(for count: Int) -> Int {
    var size = 16
    while size < count * 2 { size *= 2 }
    return size
  }

  private mutating func place(_ code: UInt32) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hashes[Int(code)]) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(code)
  }

  /// A table of `count` slots holding only code 0, the empty string.
  private static func emptySlots(_ count: Int, first: UInt32) -> [Int32] {
    var slots = [Int32](repeating: -1, count: count)
    slots[Int(truncatingIfNeeded: first) & (count - 1)] = 0
    return slots
  }

  /// A hash that canonically equivalent strings share: the low half of that of their NFC
  /// bytes (all the index keeps). Most text is NFC already (a quick check says so) and
  /// is hashed as it is.
  static func hash(_ string: String) -> UInt32 {
    var string = string
    return string.withUTF8 { hash(bytes: $0) }
  }

  static func hash(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    if isSurelyNFC(bytes) { return UInt32(truncatingIfNeeded: ByteHash.hash(bytes)) }
    let string = String(decoding: bytes, as: UTF8.self)
    if isQuicklyNFC(string) { return UInt32(truncatingIfNeeded: ByteHash.hash(bytes)) }
    var composed = string.precomposedStringWithCanonicalMapping
    return composed.withUTF8 { UInt32(truncatingIfNeeded: ByteHash.hash($0)) }
  }

  /// True when every scalar is one NFC leaves alone and nothing combines with: ASCII,
  /// U+0080–U+02FF (Latin letters, spacing marks), U+2002–U+207F (dashes, quotes,
  /// bullets, superscripts) and U+20A0–U+20CF (currency signs). Read from the bytes, it
  /// spares most Western text the standard library's scalar-by-scalar check; a test
  /// holds every accepted scalar to that check.
  static func isSurelyNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress.map(UnsafeRawPointer.init) else { return true }
    let count = bytes.count
    var index = 0
    while index < count {
      if index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        index += 8
        continue
      }
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
      } else if lead >= 0xC2 && lead <= 0xCB {
        index += 2
      } else if lead == 0xE2 && index + 2 < count {
        let second = bytes[index + 1]
        let third = bytes[index + 2]
        guard
          (second == 0x80 && third >= 0x82) || second == 0x81 || (second == 0x82 && third >= 0xA0)
            || (second == 0x83 && third <= 0x8F)
        else { return false }
        index += 3
      } else {
        return false
      }
    }
    return true
  }

  /// The standard library's NFC quick check: true means certainly NFC; false means
  /// "normalise to be sure" (and is all an older system can say).
  static func isQuicklyNFC(_ string: String) -> Bool {
    if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) {
      var span = string.utf8Span
      return span.checkForNFC(quickCheck: true)
    }
    return false
  }

  /// Whether string `code` is the text `bytes` spell: byte-equal strings are, others
  /// when Swift's canonical equivalence says so.
  private func same(code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    StringDictionary.same(strings, code: code, bytes)
  }

  static func same(_ strings: PackedStrings, code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    strings.withBytes(of: code) { mine in
      if mine.count == bytes.count
        && (mine.isEmpty
          || ByteHash.equal(
            UnsafeRawPointer(mine.baseAddress!), UnsafeRawPointer(bytes.baseAddress!), count: mine.count))
      {
        return true
      }
      return String(decoding: mine, as: UTF8.self) == String(decoding: bytes, as: UTF8.self)
    }
  }
}

extension String {
  /// Unicode case folding, used for every case-insensitive comparison.
  public var folded: String { folding(options: [.caseInsensitive], locale: nil) }
}
