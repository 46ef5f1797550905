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

  /// Appends the snapshot to `out`, each block written in place (no block is built
  /// apart and copied: a million deals are 70 MB).
  static func encode(_ table: DealTable, sequence: UInt64, into out: inout ByteWriter) {
    out.append(magic)
    out.u32(version)
    let countAt = out.count
    out.u32(0)
    var blocks: UInt32 = 0
    func block(_ kind: Block, _ body: (inout ByteWriter) -> Void) {
      out.block(kind.rawValue, body)
      blocks += 1
    }
    block(.meta) { $0.u64(sequence) }
    // Stage ids are positions in creation order; the encoding keeps it so codes stay valid.
    block(.pipelines) { $0.pipelines(table.pipelines) }
    block(.ids) { $0.array(table.ids) }
    for field in textFields {
      block(.text) { $0.textColumn(field, table.textColumn(field)) }
    }
    block(.tags) { writer in
      writer.strings(table.tags.names.strings)
      writer.u64(UInt64(table.tags.sets.count))
      for set in table.tags.sets { writer.array(set) }
      writer.array(table.tags.codes)
    }
    block(.stage) { $0.array(table.stage) }
    block(.value) { $0.array(table.value) }
    for field in dateFields {
      block(.dates) { $0.dateColumn(field, table.dateColumn(field)) }
    }
    let names = table.definitions.texts.keys.sorted()
    block(.definitions) { writer in
      writer.strings(names)
      writer.strings(names.map { table.definitions.texts[$0]! })
    }
    block(.history) { writer in
      writer.array(table.history.ids)
      writer.array(table.history.from)
      writer.array(table.history.to)
      writer.array(table.history.days)
    }
    out.patch(u32: blocks, at: countAt)
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
    let (version, payloads) = try verifiedBlocks(bytes)
    do {
      let (table, sequence) = try build(bytes, payloads, version: version)
      return (table, sequence, version)
    } catch let error as DecodeError {
      throw error
    } catch let error as ByteReader.Malformed {
      throw .damaged(offset: error.offset, what: error.what)
    } catch {
      throw .damaged(offset: 0, what: "\(error)")
    }
  }

  /// Checks a snapshot as written, without decoding it: the header, the framing and
  /// every block's checksum. A checkpoint reads its file back through this, so what is
  /// on disk is known to be the bytes the checksums were computed over.
  public static func verify(_ bytes: [UInt8]) throws(DecodeError) {
    _ = try verifiedBlocks(bytes)
  }

  /// The format version and each block's kind and payload range, every checksum checked
  /// first: nothing is decoded from an unverified block.
  private static func verifiedBlocks(_ bytes: [UInt8]) throws(DecodeError) -> (UInt32, [(Block, Int, Int)]) {
    guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw .notASnapshot }
    var reader = ByteReader(bytes, from: 8)
    do {
      let version = try reader.u32("version")
      guard version <= SnapshotFormat.version else { throw DecodeError.newerVersion(version) }
      guard version >= 1 else { throw DecodeError.damaged(offset: 8, what: "format version") }
      let count = try reader.u32("block count")
      let (frames, unreadable) = readFrames(count, from: &reader, size: bytes.count)
      let computed = checksums(of: frames.map { $0.start..<$0.end }, in: bytes)
      var payloads: [(Block, Int, Int)] = []
      for (index, frame) in frames.enumerated() {
        guard frame.checksum == computed[index] else {
          throw DecodeError.damaged(offset: frame.end, what: "checksum mismatch in block at offset \(frame.start)")
        }
        guard let block = Block(rawValue: frame.kind) else {
          throw DecodeError.damaged(offset: frame.start, what: "unknown block kind \(frame.kind)")
        }
        payloads.append((block, frame.payload, frame.end))
      }
      if let unreadable { throw unreadable }
      guard reader.atEnd else { throw DecodeError.damaged(offset: reader.offset, what: "trailing bytes") }
      return (version, payloads)
    } catch let error as DecodeError {
      throw error
    } catch let error as ByteReader.Malformed {
      throw .damaged(offset: error.offset, what: error.what)
    } catch {
      throw .damaged(offset: 0, what: "\(error)")
    }
  }

  private typealias Frame = (kind: UInt32, start: Int, payload: Int, end: Int, checksum: UInt32)

  /// The block frames, and the first that could not be read. That one is reported after
  /// the blocks before it are checked, as a block-by-block pass would: a damaged length
  /// shows as its block's checksum.
  private static func readFrames(_ count: UInt32, from reader: inout ByteReader, size: Int) -> (
    [Frame], ByteReader.Malformed?
  ) {
    var frames: [Frame] = []
    do throws(ByteReader.Malformed) {
      for _ in 0..<count {
        let start = reader.offset
        let kind = try reader.u32("block kind")
        let length = try reader.u64("block length")
        guard length <= UInt64(size) else { throw ByteReader.Malformed(offset: start, what: "block length") }
        let payloadStart = reader.offset
        _ = try reader.take(Int(length), "block payload")
        let end = reader.offset
        frames.append((kind, start, payloadStart, end, try reader.u32("block checksum")))
      }
    } catch {
      return (frames, error)
    }
    return (frames, nil)
  }

  /// The blocks' checksums are independent: computed on all cores.
  private static func checksums(of ranges: [Range<Int>], in bytes: [UInt8]) -> ParallelSlots<UInt32> {
    let computed = ParallelSlots<UInt32>(count: ranges.count)
    bytes.withUnsafeBytes { file in
      let file = UncheckedSendable(file)
      DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
        computed[index] = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file.value[ranges[index]]))
      }
    }
    return computed
  }

  private static func build(_ bytes: [UInt8], _ blocks: [(Block, Int, Int)], version: UInt32) throws -> (
    DealTable, UInt64
  ) {
    var table = DealTable()
    var sequence: UInt64 = 0
    var textIndex = 0
    var dateIndex = 0
    var seen = Set<UInt32>()
    for (kind, start, end) in blocks {
      var reader = ByteReader(bytes, from: start, to: end)
      seen.insert(kind.rawValue)
      switch kind {
      case .meta:
        sequence = try reader.u64("sequence")
      case .definitions:
        let names = try reader.strings("definition names")
        let bodies = try reader.strings("definitions")
        guard names.count == bodies.count else { throw ByteReader.Malformed(offset: start, what: "definitions") }
        table.definitions = Definitions(Dictionary(zip(names, bodies), uniquingKeysWith: { first, _ in first }))
      case .pipelines:
        table.pipelines = try reader.pipelines(formatWithKinds: version >= 4)
      case .ids: table.ids = try reader.array(Int64.self, "ids")
      case .text:
        // Format 2 has no external_id column: an eighth text block there is damage.
        let texts = version >= 3 ? textFields.count : textFields.count - 1
        guard textIndex < texts else { throw ByteReader.Malformed(offset: start, what: "text column order") }
        table.texts[textIndex] = try reader.textColumn(of: textFields[textIndex])
        textIndex += 1
      case .tags:
        table.tags = try reader.tagColumn()
      case .stage:
        table.stage = try reader.array(UInt16.self, "stages")
        guard table.stage.allSatisfy({ Int($0) < table.pipelines.stages.count }) else {
          throw ByteReader.Malformed(offset: start, what: "stage out of range")
        }
      case .value: table.value = try reader.array(Int64.self, "values")
      case .history:
        table.history = try reader.stageHistory(stages: table.pipelines.stages.count)
      case .dates:
        guard dateIndex < dateFields.count else { throw ByteReader.Malformed(offset: start, what: "date column order") }
        table.dates[dateIndex] = try reader.dateColumn(of: dateFields[dateIndex])
        dateIndex += 1
      }
      guard reader.atEnd else { throw ByteReader.Malformed(offset: reader.offset, what: "block has extra bytes") }
    }
    if version < 3 && textIndex == textFields.count - 1 {
      // Written before external ids were kept: none is known.
      var column = TextColumn()
      column.codes = [UInt32](repeating: 0, count: table.ids.count)
      table.texts[Field.externalID.textSlot!] = column
      textIndex += 1
    }
    let n = table.ids.count
    let lengths =
      [table.stage.count, table.value.count, table.tags.codes.count]
      + table.texts.map(\.codes.count) + table.dates.map(\.count)
    let required = version >= 2 ? 10 : 9
    let missing = (1...required).filter { !seen.contains(UInt32($0)) }.compactMap { Block(rawValue: UInt32($0)) }
    guard missing.isEmpty else {
      throw ByteReader.Malformed(offset: 0, what: "blocks missing: \(missing.map { "\($0)" }.joined(separator: ", "))")
    }
    guard textIndex == textFields.count, dateIndex == dateFields.count,
      lengths.allSatisfy({ $0 == n }), zip(table.ids, table.ids.dropFirst()).allSatisfy({ $0 < $1 })
    else {
      throw ByteReader.Malformed(offset: 0, what: "columns do not line up")
    }
    return (table, sequence)
  }
}

/// The snapshot's column blocks, each read and checked on its own: codes in range, one
/// value per row.
extension ByteReader {
  mutating func textColumn() throws(Malformed) -> TextColumn {
    let start = offset
    var column = TextColumn()
    guard let dictionary = StringDictionary(distinct: try strings("dictionary")) else {
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
    guard let names = StringDictionary(distinct: try strings("tag names")) else {
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
    var history = try stageEvents()
    guard history.to.allSatisfy({ Int($0) < stages }),
      history.from.allSatisfy({ $0 == StageHistory.noStage || Int($0) < stages })
    else {
      throw Malformed(offset: start, what: "stage history out of range")
    }
    history.reserveSlack()
    return history
  }

  /// Stage events as four columns of one length: the snapshot's history block, and the
  /// events a format-5 journal record states.
  mutating func stageEvents() throws(Malformed) -> StageHistory {
    let start = offset
    var events = StageHistory()
    events.ids = try array(Int64.self, "event ids")
    events.from = try array(UInt16.self, "event from")
    events.to = try array(UInt16.self, "event to")
    events.days = try array(Int32.self, "event days")
    guard [events.from.count, events.to.count, events.days.count].allSatisfy({ $0 == events.ids.count }) else {
      throw Malformed(offset: start, what: "stage events")
    }
    return events
  }
}
