/// A piece's codes for the cells it has met: each distinct text cell, tag list and
/// (pipeline, stage) pair is turned into a string once; after that its bytes find its
/// code (`ByteInterner`). A column of nearly all distinct values (deal names) stops
/// using the byte lookup — it would only copy every cell — and goes to its dictionary
/// alone.
struct CellCodes: ~Copyable {
  /// Column numbers in the byte lookup for tag lists and (pipeline, stage) pairs; text
  /// columns are their slots.
  static let tagsColumn = 100
  static let pairColumn = 101

  private var lookup = ByteInterner()
  /// Per text column: lookups and misses so far, for the switch to distinct values
  /// (lookups -1: switched).
  private var textLookups = [Int](repeating: 0, count: Field.storedText.count)
  private var textMisses = [Int](repeating: 0, count: Field.storedText.count)

  /// What the byte lookup knows of a text cell.
  enum TextLookup {
    case known(UInt32)
    /// Not met before: intern it, then `add` it under this hash.
    case new(hash: UInt64)
    /// The column holds nearly all distinct values and is no longer looked up (first
    /// time: it has just turned out so, and its dictionary can make room for the file).
    case unindexed(firstTime: Bool)
  }

  /// Looks a text cell of the column at `slot` up by its bytes. (The dictionary is the
  /// caller's, touched only on a miss: taking it `inout` for every cell would check its
  /// uniqueness every time.)
  mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, slot: Int) -> TextLookup {
    if textLookups[slot] < 0 { return .unindexed(firstTime: false) }
    textLookups[slot] += 1
    if textLookups[slot] == 4_096 && textMisses[slot] > 3_000 {
      textLookups[slot] = -1
      return .unindexed(firstTime: true)
    }
    let hash = ByteInterner.hash(bytes, column: slot)
    if let code = lookup.code(of: bytes, column: slot, hash: hash) { return .known(code) }
    textMisses[slot] += 1
    return .new(hash: hash)
  }

  /// Remembers a new text cell's code.
  mutating func add(text bytes: UnsafeBufferPointer<UInt8>, slot: Int, hash: UInt64, code: UInt32) {
    lookup.add(bytes, column: slot, hash: hash, code: code)
  }

  /// The code of a tag-list cell met before; nil when new.
  func tags(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
    lookup.code(of: bytes, column: CellCodes.tagsColumn, hash: ByteInterner.hash(bytes, column: CellCodes.tagsColumn))
  }

  /// Remembers a new tag-list cell's code.
  mutating func add(tags bytes: UnsafeBufferPointer<UInt8>, code: UInt32) {
    lookup.add(
      bytes, column: CellCodes.tagsColumn, hash: ByteInterner.hash(bytes, column: CellCodes.tagsColumn), code: code)
  }

  /// The stage id of a (pipeline, stage) key met before.
  func stage(of pair: UnsafeBufferPointer<UInt8>) -> UInt16? {
    lookup.code(of: pair, column: CellCodes.pairColumn, hash: ByteInterner.hash(pair, column: CellCodes.pairColumn))
      .map { UInt16($0) }
  }

  /// Remembers the stage id of a (pipeline, stage) key.
  mutating func add(stage: UInt16, of pair: UnsafeBufferPointer<UInt8>) {
    lookup.add(
      pair, column: CellCodes.pairColumn, hash: ByteInterner.hash(pair, column: CellCodes.pairColumn),
      code: UInt32(stage))
  }
}
