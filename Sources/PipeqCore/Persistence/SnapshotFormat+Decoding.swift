/// The deal table being rebuilt from a snapshot's blocks as they are read, and the
/// checks that need all of them: every block there, the columns one length, ids ascending.
extension SnapshotFormat {
  struct Decoding {
    let version: UInt32
    private var table = DealTable()
    private var sequence: UInt64 = 0
    private var textIndex = 0
    private var dateIndex = 0
    private var seen = Set<UInt32>()

    init(version: UInt32) { self.version = version }

    /// Decodes one verified block; `reader` spans its payload.
    mutating func add(_ kind: Block, _ reader: inout ByteReader) throws(ByteReader.Malformed) {
      let start = reader.offset
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
      case .text: try addText(&reader)
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

    private mutating func addText(_ reader: inout ByteReader) throws(ByteReader.Malformed) {
      // Format 2 has no external_id column: an eighth text block there is damage.
      let texts = version >= 3 ? textFields.count : textFields.count - 1
      guard textIndex < texts else { throw ByteReader.Malformed(offset: reader.offset, what: "text column order") }
      table.texts[textIndex] = try reader.textColumn(of: textFields[textIndex])
      textIndex += 1
    }

    /// The table, once every block is in and the columns line up.
    mutating func finish() throws(DecodeError) -> (DealTable, UInt64) {
      if version < 3 && textIndex == textFields.count - 1 {
        // Written before external ids were kept: none is known.
        var column = TextColumn()
        column.codes = [UInt32](repeating: 0, count: table.ids.count)
        table.texts[Field.externalID.textSlot!] = column
        textIndex += 1
      }
      let required = version >= 2 ? 10 : 9
      let missing = (1...required).filter { !seen.contains(UInt32($0)) }.compactMap { Block(rawValue: UInt32($0)) }
      guard missing.isEmpty else {
        throw .damaged(offset: 0, what: "blocks missing: \(missing.map { "\($0)" }.joined(separator: ", "))")
      }
      let n = table.ids.count
      let lengths =
        [table.stage.count, table.value.count, table.tags.codes.count]
        + table.texts.map(\.codes.count) + table.dates.map(\.count)
      guard textIndex == textFields.count, dateIndex == dateFields.count,
        lengths.allSatisfy({ $0 == n }), zip(table.ids, table.ids.dropFirst()).allSatisfy({ $0 < $1 })
      else {
        throw .damaged(offset: 0, what: "columns do not line up")
      }
      return (table, sequence)
    }
  }
}
