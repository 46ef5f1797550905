/// A list of strings kept end to end in one byte buffer, as a dictionary holds a text
/// column's values: a million distinct deal names cost their bytes and an offset each,
/// not a Swift String each (a heap object of ~80 bytes beside its 16-byte handle), and a
/// snapshot reads them with one copy. A string is made only when one is asked for.
public struct PackedStrings: RandomAccessCollection, Sendable, Equatable {
  /// Every string's UTF-8, end to end.
  private var bytes: [UInt8] = []
  /// `ends[i]`: where string i's bytes end; string i starts where i − 1 ends.
  private var ends: [Int] = []

  public init() {}

  /// Strings from bytes already checked to be UTF-8 split at `ends`.
  init(bytes: [UInt8], ends: [Int]) {
    self.bytes = bytes
    self.ends = ends
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { ends.count }

  public subscript(index: Int) -> String {
    withBytes(of: index) { String(decoding: $0, as: UTF8.self) }
  }

  /// The UTF-8 of string `index`, lent to `body` without making a String.
  func withBytes<R>(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let start = index == 0 ? 0 : ends[index - 1]
    return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<ends[index]])) }
  }

  /// The total length of every string's UTF-8.
  var byteCount: Int { bytes.count }

  public mutating func append(_ string: String) {
    var string = string
    string.withUTF8 { append(bytes: $0) }
  }

  mutating func append(bytes string: UnsafeBufferPointer<UInt8>) {
    bytes.append(contentsOf: string)
    ends.append(bytes.count)
  }

  /// Room for `count` strings.
  public mutating func reserveCapacity(_ count: Int) { ends.reserveCapacity(count) }
}
