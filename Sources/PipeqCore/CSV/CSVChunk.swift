/// Parses one piece of a CSV file (whole records) into columns of codes. Pieces of one
/// file are parsed side by side on all cores, then merged in file order
/// (`CSVImporter`, `PieceAssembly`), so the result and the first error reported are the
/// ones a single pass would give.
///
/// The row loop finds each cell and stores it in the same pass, straight into the
/// piece's columns: no array of cells, no row of values, no `String` for a value seen
/// before. It is the import's hot path (bench/README.md), hence the pointers.
struct CSVChunk {
  let columns: PieceColumns
  /// Each text column's distinct values, in `Field.storedText` order.
  var dictionaries = [StringDictionary](repeating: StringDictionary(), count: Field.storedText.count)
  /// The piece's tag sets (their codes are in `columns`).
  var tags = TagColumn()
  /// The catalog as this piece left it, and the (pipeline, stage) pairs it had to add,
  /// in the order it met them.
  var catalog: Pipelines
  var discovered: [(pipeline: String, stage: String)] = []
  /// The file's own names for stages the import renamed (`Closed Won` is `won`).
  var stageLabels: [ImportSource.StageLabel] = []
  /// Ids given in the file, with their lines, in file order.
  var idLines = IDLines()
  var currencyFromSymbol = 0
  /// The first bad row, if any: nothing after it was read.
  var failure: (line: Int, error: DiagnosticError)?

  /// The header's meaning, shared by every piece.
  struct Columns: Sendable {
    var fields: [Field?]
    var names: [String]
    var fileName: String
    /// Told of the bytes and rows read, every few thousand rows.
    var progress: WorkProgress? = nil
  }

  struct Failure: Error {
    var line: Int
    var error: DiagnosticError
  }

  /// What a column holds, decided once from the header.
  private enum Kind {
    case ignored, id, value, tags, pipeline, stage, other
    case text(slot: Int)
    case date(slot: Int)

    init(_ field: Field?) {
      guard let field else {
        self = .ignored
        return
      }
      if let slot = Field.storedText.firstIndex(of: field) {
        self = .text(slot: slot)
      } else if let slot = Field.storedDates.firstIndex(of: field) {
        self = .date(slot: slot)
      } else {
        switch field {
        case .id: self = .id
        case .value: self = .value
        case .tags: self = .tags
        case .pipeline: self = .pipeline
        case .stage: self = .stage
        default: self = .other
        }
      }
    }
  }

  init(bytes: [UInt8], range: Range<Int>, line: Int, columns: Columns, table: DealTable, catalog: Pipelines) {
    self.catalog = catalog
    self.columns = PieceColumns(capacity: CSVChunk.estimatedRows(bytes, range))
    var parsed = 0
    do {
      try bytes.withUnsafeBufferPointer { file throws(Failure) in
        try parse(file, bytes, range: range, line: line, columns, table, rows: &parsed)
      }
    } catch {
      failure = (error.line, error.error)
    }
    self.columns.count = parsed
  }

  /// Rows in a piece, from the line feeds in its first 64 KiB: enough room that the
  /// columns rarely grow (a record across lines only makes the guess generous).
  private static func estimatedRows(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
    let sample = range.lowerBound..<min(range.upperBound, range.lowerBound + 1 << 16)
    guard !sample.isEmpty else { return 16 }
    let lines = bytes.withUnsafeBufferPointer { CSVReader.quotesAndLines(in: $0, sample).lines } + 1
    return Int(Double(range.count) * Double(lines) / Double(sample.count) * 1.05) + 16
  }

  /// The row loop. It stays one function on purpose: the cursor (`position`, `line`),
  /// the scratch buffers, the cell codes and the piece's column pointers are locals of
  /// one frame that every cell uses; split into methods, each cell would pass them
  /// through `inout`. What a cell needs beyond its bytes is in `CSVChunk+Cells.swift`
  /// and `CellCodes`.
  private mutating func parse(
    _ file: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], range: Range<Int>, line firstLine: Int,
    _ columns: Columns, _ table: DealTable, rows: inout Int
  ) throws(Failure) {
    let fields = columns.fields
    let fieldCount = fields.count
    let kinds = fields.map(Kind.init)
    func failure(_ message: String, line: Int, column: Int? = nil, help: String? = nil) -> Failure {
      columns.failure(message, line: line, column: column, help: help)
    }
    func failure(_ error: CSVReader.Failure) -> Failure { columns.failure(error) }
    var codes = CellCodes()
    let dayCache = DayCache()
    // Where a quoted cell with doubled quotes is undoubled: one place for most cells,
    // one each for the pipeline and the stage (read at the end of the row), and the
    // stage lookup's key.
    var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    var pipelineScratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    var stageScratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    var key = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    defer {
      for buffer in [scratch, pipelineScratch, stageScratch, key] { buffer.deallocate() }
    }
    /// A cell's bytes without surrounding spaces; a quoted cell with doubled quotes is
    /// copied into `into` with them undoubled.
    func content(_ start: Int, _ end: Int, quoted: Bool, into: inout UnsafeMutableBufferPointer<UInt8>)
      -> UnsafeBufferPointer<UInt8>
    {
      var low = start
      var high = end
      while low < high, CSVChunk.isSpace(file[low]) { low += 1 }
      while high > low, CSVChunk.isSpace(file[high - 1]) { high -= 1 }
      let raw = UnsafeBufferPointer(rebasing: file[low..<high])
      guard quoted, raw.contains(UInt8(ascii: "\"")) else { return raw }
      CSVChunk.ensure(&into, holds: raw.count)
      let count = CSVReader.undoubleQuotes(raw, into: into.baseAddress!)
      return UnsafeBufferPointer(rebasing: into[0..<count])
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(Failure) -> String {
      try columns.text(bytes, line: line)
    }
    /// The error a cell-by-cell pass reports first for the record at `start`: a broken
    /// quote or a surplus cell later in the record comes before `cellError`.
    func firstProblem(at start: Int, line: Int, cellError: Failure) -> Failure {
      var reader = CSVReader(bytes: bytes, range: start..<range.upperBound, line: line)
      var cells: [CSVReader.Cell] = []
      do {
        _ = try reader.nextCells(&cells)
      } catch {
        return failure(error)
      }
      if cells.count > fieldCount,
        cells[fieldCount...].contains(where: { !content($0.start, $0.end, quoted: $0.quoted, into: &scratch).isEmpty })
      {
        return failure("this row has \(cells.count) cells, the header has \(fieldCount)", line: line)
      }
      return cellError
    }
    let currencySlot = Field.storedText.firstIndex(of: .currency)!
    let idColumn = (fields.firstIndex(of: .id) ?? 0) + 1
    let stageColumn = (fields.firstIndex(of: .stage) ?? 0) + 1
    var store = self.columns.buffers
    // A text column of all distinct values holds about one per row of the whole file.
    let expectedRows = store.capacity * file.count / max(range.count, 1)
    let end = range.upperBound
    var position = range.lowerBound
    var reported = position
    var line = firstLine
    while true {
      while position < end, file[position] == 10 || file[position] == 13 {
        if file[position] == 10 { line += 1 }
        position += 1
      }
      guard position < end else { break }
      let recordStart = position
      let recordLine = line
      if rows == store.capacity {
        store = store.grown(keeping: rows)
        self.columns.buffers = store
      }
      let row = rows
      store.clear(row)
      var id: Int64 = 0
      var symbolCurrency: String?
      var pipelineCell = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
      var stageCell = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
      var cellCount = 0
      var firstCell = CSVReader.Cell(start: recordStart, end: recordStart, quoted: false)
      var surplus = false
      while true {
        // Find the cell.
        let cell: CSVReader.Cell
        do {
          cell = try CSVReader.cell(file, at: &position, end: end, line: &line, recordLine: recordLine)
        } catch {
          throw failure(error)
        }
        let start = cell.start
        let stop = cell.end
        let quoted = cell.quoted
        // Store it.
        let column = cellCount
        cellCount += 1
        if column == 0 { firstCell = cell }
        if column >= fieldCount {
          if !content(start, stop, quoted: quoted, into: &scratch).isEmpty { surplus = true }
        } else {
          do throws(Failure) {
            switch kinds[column] {
            case .ignored:
              // Ignored columns are still checked to be text.
              let raw = UnsafeBufferPointer(rebasing: file[start..<stop])
              if raw.contains(where: { $0 >= 0x80 }) {
                _ = try text(content(start, stop, quoted: quoted, into: &scratch), line: recordLine)
              }
            case .text(let slot):
              let bytes = content(start, stop, quoted: quoted, into: &scratch)
              if bytes.isEmpty { break }
              switch codes.text(bytes, slot: slot) {
              case .known(let code): store.text(slot)[row] = code
              case .new(let hash):
                let code = dictionaries[slot].intern(try text(bytes, line: recordLine))
                codes.add(text: bytes, slot: slot, hash: hash, code: code)
                store.text(slot)[row] = code
              case .unindexed(let firstTime):
                // Room for the whole file's rows: merging the pieces then adds to this
                // index instead of building a bigger one.
                if firstTime { dictionaries[slot].reserveCapacity(expectedRows) }
                store.text(slot)[row] = try columns.code(bytes, line: recordLine, in: &dictionaries[slot])
              }
            case .date(let slot):
              let bytes = content(start, stop, quoted: quoted, into: &scratch)
              if bytes.isEmpty { break }
              if let day = try columns.day(bytes, column: column, line: recordLine, dayCache) {
                store.day(slot)[row] = day
              }
            case .id:
              let bytes = content(start, stop, quoted: quoted, into: &scratch)
              if bytes.isEmpty { break }
              id = try columns.id(bytes, column: column, line: recordLine)
            case .value:
              let bytes = content(start, stop, quoted: quoted, into: &scratch)
              if bytes.isEmpty { break }
              if let cents = ValueParser.plainAmount(bytes) {
                store.values[row] = cents
              } else if let (cents, currency) = try columns.amount(bytes, column: column, line: recordLine) {
                store.values[row] = cents
                symbolCurrency = currency
              }
            case .tags:
              let bytes = content(start, stop, quoted: quoted, into: &scratch)
              if bytes.isEmpty { break }
              if let known = codes.tags(of: bytes) {
                store.tags[row] = known
              } else {
                let code = tags.code(for: TagList.split(try text(bytes, line: recordLine)))
                codes.add(tags: bytes, code: code)
                store.tags[row] = code
              }
            case .pipeline:
              pipelineCell = content(start, stop, quoted: quoted, into: &pipelineScratch)
            case .stage:
              stageCell = content(start, stop, quoted: quoted, into: &stageScratch)
            case .other: break
            }
          } catch {
            throw firstProblem(at: recordStart, line: recordLine, cellError: error)
          }
        }
        // Past the cell's end: another cell, or the end of the record.
        if !CSVReader.anotherCell(file, at: &position, end: end, line: &line) { break }
      }
      // A line of spaces only is skipped like a blank line.
      if cellCount == 1 && content(firstCell.start, firstCell.end, quoted: firstCell.quoted, into: &scratch).isEmpty {
        continue
      }
      if surplus {
        throw failure("this row has \(cellCount) cells, the header has \(fieldCount)", line: recordLine)
      }
      if store.text(currencySlot)[row] == 0, let symbolCurrency {
        store.text(currencySlot)[row] = dictionaries[currencySlot].intern(symbolCurrency)
        currencyFromSymbol += 1
      }
      guard !stageCell.isEmpty else { throw failure("the stage is empty", line: recordLine, column: stageColumn) }
      // Rows repeat a handful of (pipeline, stage) pairs: each is resolved once.
      let pair = CSVChunk.stageKey(pipeline: pipelineCell, stage: stageCell, into: &key)
      if let known = codes.stage(of: pair) {
        store.stages[row] = known
      } else {
        let stageID = resolveStage(
          pipeline: try text(pipelineCell, line: recordLine), stage: try text(stageCell, line: recordLine))
        codes.add(stage: stageID, of: pair)
        store.stages[row] = stageID
      }
      if id != 0 {
        if let first = idLines.line(of: id) {
          throw failure("duplicate id \(id): line \(first) has it too", line: recordLine, column: idColumn)
        }
        idLines.add(id, line: recordLine)
      }
      store.ids[row] = id
      rows += 1
      if rows & 8191 == 0, let progress = columns.progress {
        progress.advance(by: position - reported, rows: 8192)
        reported = position
      }
    }
    columns.progress?.advance(by: end - reported, rows: rows & 8191)
  }

  /// The lookup key of a row's (pipeline, stage) cells, in `key`.
  private static func stageKey(
    pipeline: UnsafeBufferPointer<UInt8>, stage: UnsafeBufferPointer<UInt8>,
    into key: inout UnsafeMutableBufferPointer<UInt8>
  ) -> UnsafeBufferPointer<UInt8> {
    let length = pipeline.count + 1 + stage.count
    ensure(&key, holds: length)
    if let base = pipeline.baseAddress { key.baseAddress!.update(from: base, count: pipeline.count) }
    key[pipeline.count] = 0x1F
    (key.baseAddress! + pipeline.count + 1).update(from: stage.baseAddress!, count: stage.count)
    return UnsafeBufferPointer(rebasing: key[0..<length])
  }

  /// The stage id of a (pipeline, stage) pair met for the first time in this piece,
  /// adding the pipeline or the stage to the catalog when new.
  private mutating func resolveStage(pipeline: String, stage: String) -> UInt16 {
    let pipelineName = pipeline.isEmpty ? (catalog.firstLive?.name ?? "sales") : pipeline
    let stageName = CSVImporter.canonicalStage(stage)
    if stageName != stage { stageLabels.append(.init(pipeline: pipelineName, stage: stageName, label: stage)) }
    var pipelineID = catalog.pipeline(named: pipelineName)
    if pipelineID == nil {
      discovered.append((pipelineName, stageName))
      pipelineID = catalog.addPipeline(named: pipelineName, stages: [stageName])
    }
    if catalog.stage(named: stageName, in: pipelineID!) == nil {
      discovered.append((pipelineName, stageName))
      catalog.addStage(named: stageName, to: pipelineID!)
    }
    return catalog.stage(named: stageName, in: pipelineID!)!
  }

  /// `buffer`, replaced by a bigger one when it cannot hold `count` bytes (what it held
  /// is not kept: each use writes it afresh).
  private static func ensure(_ buffer: inout UnsafeMutableBufferPointer<UInt8>, holds count: Int) {
    guard buffer.count < count else { return }
    buffer.deallocate()
    buffer = .allocate(capacity: count * 2)
  }

  private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
}
