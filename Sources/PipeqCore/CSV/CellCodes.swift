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

  /// The code of a text cell in `dictionary` (the column at `slot`). `expectedRows`
  /// sizes the dictionary when the column turns out to be all distinct values.
  mutating func text(
    _ bytes: UnsafeBufferPointer<UInt8>, slot: Int, in dictionary: inout StringDictionary, expectedRows: Int,
    _ makeText: (UnsafeBufferPointer<UInt8>) throws(CSVChunk.Failure) -> String
  ) throws(CSVChunk.Failure) -> UInt32 {
    if textLookups[slot] < 0 { return dictionary.intern(try makeText(bytes)) }
    textLookups[slot] += 1
    let hash = ByteInterner.hash(bytes, column: slot)
    let code: UInt32
    if let known = lookup.code(of: bytes, column: slot, hash: hash) {
      code = known
    } else {
      code = dictionary.intern(try makeText(bytes))
      lookup.add(bytes, column: slot, hash: hash, code: code)
      textMisses[slot] += 1
    }
    if textLookups[slot] == 4_096 && textMisses[slot] > 3_000 {
      textLookups[slot] = -1
      // Room for the whole file's rows: merging the pieces then adds to this index
      // instead of building a bigger one.
      dictionary.reserveCapacity(expectedRows)
    }
    return code
  }

  /// The code of a tag-list cell in `tags`.
  mutating func tags(
    _ bytes: UnsafeBufferPointer<UInt8>, in tags: inout TagColumn,
    _ makeText: (UnsafeBufferPointer<UInt8>) throws(CSVChunk.Failure) -> String
  ) throws(CSVChunk.Failure) -> UInt32 {
    let hash = ByteInterner.hash(bytes, column: CellCodes.tagsColumn)
    if let code = lookup.code(of: bytes, column: CellCodes.tagsColumn, hash: hash) { return code }
    let code = tags.code(for: TagList.split(try makeText(bytes)))
    lookup.add(bytes, column: CellCodes.tagsColumn, hash: hash, code: code)
    return code
  }

  /// The stage id of a (pipeline, stage) key, resolving it with `resolve` the first time.
  mutating func stage(
    _ pair: UnsafeBufferPointer<UInt8>, _ resolve: () throws(CSVChunk.Failure) -> UInt16
  ) throws(CSVChunk.Failure) -> UInt16 {
    let hash = ByteInterner.hash(pair, column: CellCodes.pairColumn)
    if let known = lookup.code(of: pair, column: CellCodes.pairColumn, hash: hash) { return UInt16(known) }
    let stage = try resolve()
    lookup.add(pair, column: CellCodes.pairColumn, hash: hash, code: UInt32(stage))
    return stage
  }
}
