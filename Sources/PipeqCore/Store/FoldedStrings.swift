import Foundation

/// The case-folded UTF-8 of every string of a dictionary, in one buffer, kept beside it:
/// `~`, `=` and `in` on text then cost a pass over bytes per statement, not a Unicode
/// folding and a Foundation search per distinct string (2.9 µs each: a second for a
/// million deal names). Built on first use and extended as the dictionary grows; the
/// dictionary drops it for a fresh one when it grows while a copy shares it, so a
/// cached prefix always holds this dictionary's strings.
final class FoldedStrings: @unchecked Sendable {
  private let lock = NSLock()
  private var bytes: [UInt8] = []
  /// `ends[i]`: where string i's folded bytes end (string 0, "", ends at 0).
  private var ends: [Int] = []
  /// Each non-ASCII scalar met, folded.
  private var scalars: [Unicode.Scalar: [UInt8]] = [:]

  /// The folded bytes of `strings` (this dictionary's, a prefix of which is cached),
  /// handed to `body` with each string's end offset.
  func with<R>(_ strings: PackedStrings, _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: [Int]) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    if ends.count < strings.count {
      bytes.reserveCapacity(strings.byteCount + strings.byteCount / 16)
      for index in ends.count..<strings.count {
        strings.withBytes(of: index) { FoldedStrings.append(utf8: $0, to: &bytes, scalars: &scalars) }
        ends.append(bytes.count)
      }
    }
    return bytes.withUnsafeBufferPointer { body($0, ends) }
  }

  /// Whether `needle` (not empty) occurs in `haystack`: memchr to each place its first
  /// byte occurs, then a compare (glibc's memmem is not visible to Swift).
  static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
    let first = Int32(needle[0])
    let rest = needle.count - 1
    var offset = 0
    let last = haystack.count - needle.count
    while offset <= last {
      guard let hit = memchr(base + offset, first, last - offset + 1) else { return false }
      let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      if rest == 0 || memcmp(base + at + 1, needle.baseAddress! + 1, rest) == 0 { return true }
      offset = at + 1
    }
    return false
  }

  /// A text's folded bytes, as the cache keeps them: ASCII by lowering its letters, text
  /// of scalars that nothing combines with (most Western text) by folding each non-ASCII
  /// scalar once, any other text by Unicode case folding of the whole, then NFC, so
  /// equivalent spellings have one form.
  static func fold(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var scalars: [Unicode.Scalar: [UInt8]] = [:]
    append(text, to: &out, scalars: &scalars)
    return out
  }

  private static func append(_ text: String, to out: inout [UInt8], scalars: inout [Unicode.Scalar: [UInt8]]) {
    var text = text
    text.withUTF8 { append(utf8: $0, to: &out, scalars: &scalars) }
  }

  private static func append(
    utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], scalars: inout [Unicode.Scalar: [UInt8]]
  ) {
    if utf8.allSatisfy({ $0 < 0x80 }) {
      for byte in utf8 { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
      return
    }
    let text = String(decoding: utf8, as: UTF8.self)
    guard StringDictionary.isSurelyNFC(utf8) else {
      out += text.folded.precomposedStringWithCanonicalMapping.utf8
      return
    }
    // Folding these scalars one by one is folding the whole: none combines.
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        let byte = UInt8(scalar.value)
        out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
      } else if let known = scalars[scalar] {
        out += known
      } else {
        let folded = Array(String(scalar).folded.precomposedStringWithCanonicalMapping.utf8)
        scalars[scalar] = folded
        out += folded
      }
    }
  }
}

extension StringDictionary {
  /// For each code, whether its folded text is one of `keys` (folded by `FoldedStrings.fold`).
  func foldedEquals(_ keys: [[UInt8]]) -> [Bool] {
    folds.with(strings) { bytes, ends in
      var found = [Bool](repeating: false, count: ends.count)
      for code in 1..<max(1, ends.count) {
        let start = ends[code - 1]
        let length = ends[code] - start
        found[code] = keys.contains { key in
          key.count == length
            && (length == 0
              || key.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress! + start, length) == 0 })
        }
      }
      return found
    }
  }

  /// For each code, whether its folded text contains `needle` (folded).
  func foldedContains(_ needle: [UInt8]) -> [Bool] {
    folds.with(strings) { bytes, ends in
      var found = [Bool](repeating: false, count: ends.count)
      guard !needle.isEmpty else {
        for code in 1..<max(1, ends.count) { found[code] = true }
        return found
      }
      needle.withUnsafeBufferPointer { key in
        for code in 1..<max(1, ends.count) {
          let start = ends[code - 1]
          let length = ends[code] - start
          guard length >= key.count else { continue }
          found[code] = FoldedStrings.find(key, in: UnsafeBufferPointer(rebasing: bytes[start..<start + length]))
        }
      }
      return found
    }
  }
}

extension StringDictionary {
  /// Each code's place in case-folded order (codes whose folded text is the same share
  /// one): sorting rows by a text field compares these integers, folding nothing per
  /// comparison.
  func foldedRanks() -> [Int] {
    folds.with(strings) { bytes, ends in
      func slice(_ code: Int) -> UnsafeBufferPointer<UInt8> {
        let start = code == 0 ? 0 : ends[code - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[code]])
      }
      let order = ends.indices.sorted { slice($0).lexicographicallyPrecedes(slice($1)) }
      var ranks = [Int](repeating: 0, count: ends.count)
      var rank = 0
      for (position, code) in order.enumerated() {
        if position > 0, !slice(order[position - 1]).elementsEqual(slice(code)) { rank += 1 }
        ranks[code] = rank
      }
      return ranks
    }
  }
}
