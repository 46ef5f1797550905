/// A set of rows as one bit per row, 64 rows to a word. Filters produce it word by
/// word, `and`/`or`/`not` combine whole words, and a count is a population count,
/// so no per-row array is built until rows are actually listed.
public struct RowBitmap: Sendable, Equatable {
  public private(set) var words: [UInt64]
  /// The number of rows the bitmap covers (bits past it are always zero).
  public let rowCount: Int

  public init(rowCount: Int, words: [UInt64]) {
    precondition(words.count == RowBitmap.wordCount(rowCount))
    self.rowCount = rowCount
    self.words = words
  }

  public init(rows: [Int], rowCount: Int) {
    var words = [UInt64](repeating: 0, count: RowBitmap.wordCount(rowCount))
    for row in rows { words[row >> 6] |= 1 << UInt64(row & 63) }
    self.init(rowCount: rowCount, words: words)
  }

  public static func wordCount(_ rows: Int) -> Int { (rows + 63) >> 6 }

  /// The mask of the valid bits of the last word.
  static func tailMask(_ rows: Int) -> UInt64 {
    let used = rows & 63
    return used == 0 ? ~0 : (1 << UInt64(used)) &- 1
  }

  public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  public func contains(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }

  /// The rows in ascending order.
  public var rows: [Int] {
    var rows: [Int] = []
    rows.reserveCapacity(count)
    forEachRow { rows.append($0) }
    return rows
  }

  /// The words split into `parts` ranges of about equal size (some may be empty), one
  /// for each core of a parallel pass.
  public func wordRanges(parts: Int) -> [Range<Int>] {
    let perPart = (words.count + parts - 1) / max(parts, 1)
    return (0..<max(parts, 1)).map { min($0 * perPart, words.count)..<min(($0 + 1) * perPart, words.count) }
  }

  /// Calls `body` for each row in ascending order.
  @inlinable
  public func forEachRow(_ body: (Int) -> Void) {
    forEachRow(inWords: 0..<words.count, body)
  }

  /// Calls `body` for each row of the words in `range` (64 rows a word), in ascending
  /// order: parallel passes take a range each.
  @inlinable
  public func forEachRow(inWords range: Range<Int>, _ body: (Int) -> Void) {
    words.withUnsafeBufferPointer { words in
      for index in range where words[index] != 0 {
        var bits = words[index]
        let base = index << 6
        while bits != 0 {
          body(base + bits.trailingZeroBitCount)
          bits &= bits &- 1
        }
      }
    }
  }
}
