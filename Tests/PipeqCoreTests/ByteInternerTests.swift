import Testing

@testable import PipeqCore

/// The import's byte lookup must answer exactly what a dictionary keyed by (column,
/// bytes) answers, for every length around its word boundaries.
@Suite struct ByteInternerTests {
  @Test func agreesWithADictionary() {
    var generator = SystemRandomNumberGenerator()
    var lookup = ByteInterner()
    var expected: [[UInt8]: UInt32] = [:]
    var keys: [[UInt8]] = []
    // Short alphabets make near misses: keys differing in one byte, or only in column.
    for _ in 0..<6_000 {
      let length = Int.random(in: 1...40, using: &generator)
      let column = Int.random(in: 0...2, using: &generator)
      let bytes = (0..<length).map { _ in [UInt8(ascii: "a"), UInt8(ascii: "b")].randomElement(using: &generator)! }
      keys.append([UInt8(column)] + bytes)
    }
    for key in keys {
      let column = Int(key[0])
      let bytes = Array(key.dropFirst())
      let found = bytes.withUnsafeBufferPointer { buffer in
        lookup.code(of: buffer, column: column, hash: ByteInterner.hash(buffer, column: column))
      }
      #expect(found == expected[key], "\(key)")
      if found == nil {
        let code = UInt32(expected.count + 1)
        bytes.withUnsafeBufferPointer { buffer in
          lookup.add(buffer, column: column, hash: ByteInterner.hash(buffer, column: column), code: code)
        }
        expected[key] = code
      }
    }
    #expect(expected.count > 1_000)
  }
}
