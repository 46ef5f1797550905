import Dispatch

/// The snapshot file: the whole deal table, column by column.
///
///     magic "PIPEQSNP" · u32 format version · u32 block count
///     block*: u32 kind · u64 payload length · payload · u32 CRC-32C of kind, length, payload
///
/// Every block is verified before any of it is used; a newer version is refused.
/// See Persistence/FORMAT.md.
public enum SnapshotFormat {
  public static let magic: [UInt8] = Array("PIPEQSNP".utf8)
  /// 2 added the stage history block; a version-1 snapshot has none, and opening one
  /// seeds the history from each deal's stage and stage_entered (`StoreFiles.open`).
  /// 3: an eighth text column, external_id (format 2 is read with it empty).
  /// 4: the catalog keeps each stage's kind, own probability and rotting days, and
  /// removed stages and pipelines (formats 1–3 are read with kinds from stage names).
  public static let version: UInt32 = 4

  enum Block: UInt32 {
    case pipelines = 1, ids, text, tags, stage, value, dates, meta, definitions, history
  }

  public static let textFields = Field.storedText
  public static let dateFields = Field.storedDates

  /// `sequence` is the last journal record the snapshot includes: on open, only later
  /// records are replayed.
  public static func encode(_ table: DealTable, sequence: UInt64 = 0) -> [UInt8] {
    var out = ByteWriter()
    out.bytes.reserveCapacity(ByteWriter.measure { encode(table, sequence: sequence, into: &$0) })
    encode(table, sequence: sequence, into: &out)
    return out.bytes
  }

  /// Appends the snapshot to `out`, each block written in place (a journal record of
  /// whole deals holds them so).
  static func encode(_ table: DealTable, sequence: UInt64, into out: inout ByteWriter) {
    let blocks = blockWriters(table, sequence: sequence)
    out.append(magic)
    out.u32(version)
    out.u32(UInt32(blocks.count))
    for (kind, body) in blocks { out.block(kind.rawValue, body) }
  }

  /// Hands the snapshot to `emit` a piece at a time: the header, then each block whole
  /// (written in place, its checksum over its bytes). A checkpoint writes the pieces to
  /// the file as they come, so no more than the largest block is ever held twice.
  static func write<Failure: Error>(
    _ table: DealTable, sequence: UInt64, progress: WorkProgress? = nil, emit: ([UInt8]) throws(Failure) -> Void
  ) throws(Failure) {
    let blocks = blockWriters(table, sequence: sequence)
    progress?.begin("writing", total: blocks.count)
    var header = ByteWriter()
    header.append(magic)
    header.u32(version)
    header.u32(UInt32(blocks.count))
    try emit(header.bytes)
    for (kind, body) in blocks {
      var out = ByteWriter()
      out.bytes.reserveCapacity(ByteWriter.measure { $0.block(kind.rawValue, body) })
      out.block(kind.rawValue, body)
      try emit(out.bytes)
      progress?.advance(by: 1, rows: table.count / blocks.count)
    }
  }

  /// Each block's kind and what writes its payload, in file order.
  private static func blockWriters(_ table: DealTable, sequence: UInt64) -> [(Block, (inout ByteWriter) -> Void)] {
    let names = table.definitions.texts.keys.sorted()
    var blocks: [(Block, (inout ByteWriter) -> Void)] = [
      (.meta, { $0.u64(sequence) }),
      // Stage ids are positions in creation order; the encoding keeps it so codes stay valid.
      (.pipelines, { $0.pipelines(table.pipelines) }),
      (.ids, { $0.array(table.ids) }),
    ]
    for field in textFields { blocks.append((.text, { $0.textColumn(field, table.textColumn(field)) })) }
    blocks.append(
      (
        .tags,
        { writer in
          writer.strings(table.tags.names.strings)
          writer.u64(UInt64(table.tags.sets.count))
          for set in table.tags.sets { writer.array(set) }
          writer.array(table.tags.codes)
        }
      ))
    blocks.append((.stage, { $0.array(table.stage) }))
    blocks.append((.value, { $0.array(table.value) }))
    for field in dateFields { blocks.append((.dates, { $0.dateColumn(field, table.dateColumn(field)) })) }
    blocks.append(
      (
        .definitions,
        { writer in
          writer.strings(names)
          writer.strings(names.map { table.definitions.texts[$0]! })
        }
      ))
    blocks.append(
      (
        .history,
        { writer in
          writer.array(table.history.ids)
          writer.array(table.history.from)
          writer.array(table.history.to)
          writer.array(table.history.days)
        }
      ))
    return blocks
  }

  public enum DecodeError: Error, Equatable {
    case notASnapshot
    case newerVersion(UInt32)
    case damaged(offset: Int, what: String)
  }

  public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> DealTable {
    try decodeSnapshot(bytes).table
  }

  public static func decodeSnapshot(_ bytes: [UInt8]) throws(DecodeError) -> (
    table: DealTable, sequence: UInt64, version: UInt32
  ) {
    do {
      return try decodeSnapshot(size: bytes.count) { Array(bytes[$0.clamped(to: 0..<bytes.count)]) }
    } catch let error as DecodeError {
      throw error
    } catch {
      throw .damaged(offset: 0, what: "\(error)")
    }
  }

  /// Decodes a snapshot of `size` bytes read a block at a time by `read` (a range of the
  /// file; fewer bytes at its end), so that only one block is held beside the columns.
  /// Each block is verified by its checksum before anything is decoded from it. Throws
  /// `DecodeError`, or what `read` throws.
  static func decodeSnapshot(size: Int, read: (Range<Int>) throws -> [UInt8]) throws -> (
    table: DealTable, sequence: UInt64, version: UInt32
  ) {
    var decoding: Decoding?
    let version = try forEachBlock(size: size, read: read) { version, block, reader in
      if decoding == nil { decoding = Decoding(version: version) }
      try decoding!.add(block, &reader)
    }
    var result = decoding ?? Decoding(version: version)
    let (table, sequence) = try result.finish()
    return (table, sequence, version)
  }

  /// Checks a snapshot as written, without decoding it: the header, the framing and
  /// every block's checksum, a block at a time. A checkpoint reads its file back through
  /// this, so what is on disk is known to be the bytes the checksums were computed over.
  static func verify(size: Int, read: (Range<Int>) throws -> [UInt8]) throws {
    _ = try forEachBlock(size: size, read: read) { _, _, _ in }
  }

  /// Reads the header, then each block whole, checks its checksum and hands `body` a
  /// reader over its payload. Returns the format version. A malformed payload is told at
  /// its offset in the file.
  private static func forEachBlock(
    size: Int, read: (Range<Int>) throws -> [UInt8], _ body: (UInt32, Block, inout ByteReader) throws -> Void
  ) throws -> UInt32 {
    let header = try read(0..<16)
    guard size >= 16, header.count == 16, Array(header[0..<8]) == magic else { throw DecodeError.notASnapshot }
    var reader = ByteReader(header, from: 8)
    let version = try malformedAsDamage(at: 0) { () throws(ByteReader.Malformed) in try reader.u32("version") }
    guard version <= SnapshotFormat.version else { throw DecodeError.newerVersion(version) }
    guard version >= 1 else { throw DecodeError.damaged(offset: 8, what: "format version") }
    let count = try malformedAsDamage(at: 0) { () throws(ByteReader.Malformed) in try reader.u32("block count") }
    var start = 16
    for _ in 0..<count {
      let frame = try readFrame(at: start, size: size, read: read)
      let length = frame.count - frameOverhead
      var payload = ByteReader(frame, from: 12, to: 12 + length)
      let kind = frame.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
      guard let block = Block(rawValue: kind) else {
        throw DecodeError.damaged(offset: start, what: "unknown block kind \(kind)")
      }
      try malformedAsDamage(at: start) { try body(version, block, &payload) }
      start += frame.count
    }
    guard start == size else { throw DecodeError.damaged(offset: start, what: "trailing bytes") }
    return version
  }

  /// Kind, length, payload and checksum.
  private static let frameOverhead = 16

  /// The block frame at `start`, its checksum verified.
  private static func readFrame(at start: Int, size: Int, read: (Range<Int>) throws -> [UInt8]) throws -> [UInt8] {
    guard start + 12 <= size else { throw DecodeError.damaged(offset: start, what: "block kind") }
    let head = try read(start..<start + 12)
    let length = head.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt64.self)) }
    guard length <= UInt64(size) else { throw DecodeError.damaged(offset: start, what: "block length") }
    let end = start + 12 + Int(length)
    guard end <= size else { throw DecodeError.damaged(offset: start + 12, what: "block payload") }
    guard end + 4 <= size else { throw DecodeError.damaged(offset: end, what: "block checksum") }
    let frame = try read(start..<end + 4)
    guard frame.count == end + 4 - start else { throw DecodeError.damaged(offset: start, what: "block payload") }
    let stored = frame.withUnsafeBytes {
      UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: end - start, as: UInt32.self))
    }
    let computed = frame.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<end - start])) }
    guard stored == computed else {
      throw DecodeError.damaged(offset: end, what: "checksum mismatch in block at offset \(start)")
    }
    return frame
  }

  /// Runs `body`, telling a malformed payload as damage at its offset in the file (the
  /// reader's offsets count from the start of its block, which is at `start`).
  private static func malformedAsDamage<T>(at start: Int, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as ByteReader.Malformed {
      throw DecodeError.damaged(offset: start + error.offset, what: error.what)
    }
  }
}

/// The snapshot's column blocks, each read and checked on its own: codes in range, one
/// value per row.
extension ByteReader {
  mutating func textColumn() throws(Malformed) -> TextColumn {
    let start = offset
    var column = TextColumn()
    guard let dictionary = StringDictionary(distinct: try packedStrings("dictionary")) else {
      throw Malformed(offset: start, what: "dictionary holds a value twice")
    }
    column.dictionary = dictionary
    column.codes = try array(UInt32.self, "codes")
    guard column.codes.allSatisfy({ Int($0) < column.dictionary.count }) else {
      throw Malformed(offset: start, what: "text code out of range")
    }
    return column
  }

  mutating func tagColumn() throws(Malformed) -> TagColumn {
    let start = offset
    guard let names = StringDictionary(distinct: try packedStrings("tag names")) else {
      throw Malformed(offset: start, what: "tag names hold a name twice")
    }
    let setCount = try u64("tag sets")
    guard setCount <= UInt64(end - start) else { throw Malformed(offset: start, what: "tag sets") }
    var sets: [[UInt32]] = []
    for _ in 0..<setCount { sets.append(try array(UInt32.self, "tag set")) }
    let codes = try array(UInt32.self, "tag codes")
    guard sets.first == [], sets.allSatisfy({ $0.allSatisfy { Int($0) < names.count } }),
      codes.allSatisfy({ Int($0) < sets.count })
    else { throw Malformed(offset: start, what: "tag code out of range") }
    var tags = TagColumn()
    tags.restore(names: names, sets: sets, codes: codes)
    return tags
  }

  /// The stage history, its stage ids within a catalog of `stages` stages.
  mutating func stageHistory(stages: Int) throws(Malformed) -> StageHistory {
    let start = offset
    // Read with room to grow: a bulk close appends tens of thousands of events at once.
    let history = try stageEvents(slack: StageHistory.slack)
    guard history.to.allSatisfy({ Int($0) < stages }),
      history.from.allSatisfy({ $0 == StageHistory.noStage || Int($0) < stages })
    else {
      throw Malformed(offset: start, what: "stage history out of range")
    }
    return history
  }

  /// Stage events as four columns of one length: the snapshot's history block, and the
  /// events a format-5 journal record states.
  mutating func stageEvents(slack: (Int) -> Int = { _ in 0 }) throws(Malformed) -> StageHistory {
    let start = offset
    var events = StageHistory()
    events.ids = try array(Int64.self, "event ids", slack: slack)
    events.from = try array(UInt16.self, "event from", slack: slack)
    events.to = try array(UInt16.self, "event to", slack: slack)
    events.days = try array(Int32.self, "event days", slack: slack)
    guard [events.from.count, events.to.count, events.days.count].allSatisfy({ $0 == events.ids.count }) else {
      throw Malformed(offset: start, what: "stage events")
    }
    return events
  }
}
