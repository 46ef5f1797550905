/// Parses one piece of a CSV file (whole records) into a table of deals. Pieces of one
/// file are parsed side by side on all cores, then merged in file order
/// (`CSVImporter`), so the result and the first error reported are the ones a single
/// pass would give.
struct CSVChunk {
  var deals = DealTable()
  /// The catalog as this piece left it, and the (pipeline, stage) pairs it had to add,
  /// in the order it met them.
  var catalog: Pipelines
  var discovered: [(pipeline: String, stage: String)] = []
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
  }

  init(
    bytes: [UInt8], range: Range<Int>, line: Int, columns: Columns, table: DealTable, catalog: Pipelines
  ) {
    self.catalog = catalog
    do {
      try parse(bytes, CSVReader(bytes: bytes, range: range, line: line), columns, table)
    } catch {
      failure = (error.line, error.error)
    }
  }

  struct Failure: Error {
    var line: Int
    var error: DiagnosticError
  }

  private mutating func parse(_ bytes: [UInt8], _ start: CSVReader, _ columns: Columns, _ table: DealTable)
    throws(Failure)
  {
    var reader = start
    let fields = columns.fields
    let fileName = columns.fileName
    func failure(_ message: String, line: Int, column: Int? = nil, help: String? = nil) -> Failure {
      let place = column.map { "\(fileName):\(line), column \($0)" } ?? "\(fileName):\(line)"
      return Failure(line: line, error: DiagnosticError(Diagnostic(.error, message, location: place, help: help)))
    }
    var cells: [CSVReader.Cell] = []
    func nextRecord() throws(Failure) -> Int? {
      do {
        return try reader.nextCells(&cells)
      } catch {
        let (line, message, help) = error.explanation
        throw failure(message, line: line, help: help)
      }
    }
    // Text cells by column, tag lists and (pipeline, stage) pairs: each distinct one is
    // turned into a string once; after that its bytes find its code.
    var textCodes = [ByteInterner](repeating: ByteInterner(), count: SnapshotFormat.textFields.count)
    var tagSets = ByteInterner()
    var stages = ByteInterner()
    // Per text column: lookups and misses so far (for the switch to distinct values).
    // Then one row's codes, reused row after row. Buffers rather than arrays: the row
    // loop writes them dozens of times per row, and an array checks it is unshared on
    // every write.
    let textLookups = UnsafeMutableBufferPointer<Int>.allocate(capacity: SnapshotFormat.textFields.count)
    let textMisses = UnsafeMutableBufferPointer<Int>.allocate(capacity: SnapshotFormat.textFields.count)
    let texts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: SnapshotFormat.textFields.count)
    let days = UnsafeMutableBufferPointer<Int32>.allocate(capacity: SnapshotFormat.dateFields.count)
    textLookups.initialize(repeating: 0)
    textMisses.initialize(repeating: 0)
    defer {
      for buffer in [textLookups, textMisses] { buffer.deallocate() }
      texts.deallocate()
      days.deallocate()
    }
    var dayCache = DayCache()
    var stageKey: [UInt8] = []
    var pipelineBytes: [UInt8] = []
    var stageBytes: [UInt8] = []
    // Where a quoted cell with doubled quotes is undoubled; valid until the next cell.
    var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    defer { scratch.deallocate() }
    let textSlot: [Int?] = fields.map { field in field.flatMap { SnapshotFormat.textFields.firstIndex(of: $0) } }
    let dateSlot: [Int?] = fields.map { field in field.flatMap { SnapshotFormat.dateFields.firstIndex(of: $0) } }
    let currencySlot = SnapshotFormat.textFields.firstIndex(of: .currency)!
    let idColumn = (fields.firstIndex(of: .id) ?? 0) + 1
    let stageColumn = (fields.firstIndex(of: .stage) ?? 0) + 1
    try bytes.withUnsafeBufferPointer { file throws(Failure) in
      /// A cell's bytes without surrounding spaces; a quoted cell with doubled quotes
      /// is copied with them undoubled.
      func content(_ cell: CSVReader.Cell) -> UnsafeBufferPointer<UInt8> {
        var low = cell.start
        var high = cell.end
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        while low < high, isSpace(file[low]) { low += 1 }
        while high > low, isSpace(file[high - 1]) { high -= 1 }
        let raw = UnsafeBufferPointer(rebasing: file[low..<high])
        guard cell.quoted, raw.contains(UInt8(ascii: "\"")) else { return raw }
        if scratch.count < raw.count {
          scratch.deallocate()
          scratch = .allocate(capacity: raw.count)
        }
        let count = CSVReader.undoubleQuotes(raw, into: scratch.baseAddress!)
        return UnsafeBufferPointer(rebasing: scratch[0..<count])
      }
      func text(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(Failure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
          let (_, message, help) = CSVReader.Failure.invalidUTF8(line: line).explanation
          throw failure(message, line: line, help: help)
        }
        return text.trimmedFast
      }
      while let line = try nextRecord() {
        if cells.count == 1, content(cells[0]).isEmpty { continue }
        guard cells.count <= fields.count || cells[fields.count...].allSatisfy({ content($0).isEmpty }) else {
          throw failure("this row has \(cells.count) cells, the header has \(fields.count)", line: line)
        }
        var id: Int64 = 0
        texts.update(repeating: 0)
        days.update(repeating: DealTable.emptyDay)
        var value = DealTable.emptyMoney
        var tagSet: UInt32 = 0
        pipelineBytes.removeAll(keepingCapacity: true)
        stageBytes.removeAll(keepingCapacity: true)
        var symbolCurrency: String?
        for (index, cell) in cells.enumerated() where index < fields.count {
          guard let field = fields[index] else {
            // Ignored columns are still checked to be text.
            if file[cell.start..<cell.end].contains(where: { $0 >= 0x80 }) { _ = try text(content(cell), line: line) }
            continue
          }
          let bytes = content(cell)
          if bytes.isEmpty { continue }
          let column = index + 1
          if let slot = textSlot[index] {
            let field = SnapshotFormat.textFields[slot]
            if textLookups[slot] < 0 {
              // A column of nearly all distinct values (deal names): the byte lookup
              // would only copy every cell; the dictionary alone does the work.
              let string = try text(bytes, line: line)
              texts[slot] = deals.modifyText(field) { $0.dictionary.intern(string) }
              continue
            }
            let hash = ByteInterner.hash(bytes)
            if let code = textCodes[slot].code(of: bytes, hash: hash) {
              texts[slot] = code
            } else {
              let string = try text(bytes, line: line)
              let code = deals.modifyText(field) { $0.dictionary.intern(string) }
              textCodes[slot].add(bytes, hash: hash, code: code)
              texts[slot] = code
              textMisses[slot] += 1
            }
            textLookups[slot] += 1
            if textLookups[slot] == 4_096 && textMisses[slot] > 3_000 {
              textLookups[slot] = -1
              textCodes[slot] = ByteInterner()
            }
            continue
          }
          if let slot = dateSlot[index] {
            var parsed = dayCache.day(bytes)
            if parsed == nil { parsed = ValueParser.day(try text(bytes, line: line)) }
            guard let day = parsed else {
              throw failure(
                "'\(try text(bytes, line: line))' is not a date (column \(columns.names[index]))", line: line,
                column: column,
                help: "dates are YYYY-MM-DD (a time after the date is ignored)")
            }
            days[slot] = day.number
            continue
          }
          switch field {
          case .id:
            guard let number = ValueParser.wholeNumber(bytes), number > 0 else {
              throw failure(
                "id '\(try text(bytes, line: line))' is not a positive whole number (column \(columns.names[index]))",
                line: line,
                column: column)
            }
            id = number
          case .value:
            if let cents = ValueParser.plainAmount(bytes) {
              value = cents
            } else {
              guard let (cents, currency) = ValueParser.amount(try text(bytes, line: line)) else {
                throw failure(
                  "'\(try text(bytes, line: line))' is not an amount (column \(columns.names[index]))", line: line,
                  column: column,
                  help: "amounts like 12500, 12,500.00, $12,500 or 1.234,56 €")
              }
              value = cents
              symbolCurrency = currency
            }
          case .tags:
            let hash = ByteInterner.hash(bytes)
            if let code = tagSets.code(of: bytes, hash: hash) {
              tagSet = code
            } else {
              let names = try text(bytes, line: line).split(whereSeparator: { $0 == ";" || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
              tagSet = deals.tags.code(for: names)
              tagSets.add(bytes, hash: hash, code: tagSet)
            }
          case .pipeline: pipelineBytes.append(contentsOf: bytes)
          case .stage: stageBytes.append(contentsOf: bytes)
          default: break
          }
        }
        if texts[currencySlot] == 0, let symbolCurrency {
          texts[currencySlot] = deals.modifyText(.currency) { $0.dictionary.intern(symbolCurrency) }
          currencyFromSymbol += 1
        }
        guard !stageBytes.isEmpty else { throw failure("the stage is empty", line: line, column: stageColumn) }
        // Rows repeat a handful of (pipeline, stage) pairs: resolve each pair once.
        stageKey.removeAll(keepingCapacity: true)
        stageKey.append(contentsOf: pipelineBytes)
        stageKey.append(0x1F)
        stageKey.append(contentsOf: stageBytes)
        let stageID = try stageKey.withUnsafeBufferPointer { key throws(Failure) -> UInt16 in
          let hash = ByteInterner.hash(key)
          if let known = stages.code(of: key, hash: hash) { return UInt16(known) }
          var pipelineName = try pipelineBytes.withUnsafeBufferPointer { bytes throws(Failure) in
            try text(bytes, line: line)
          }
          let stageName = CSVImporter.canonicalStage(
            try stageBytes.withUnsafeBufferPointer { bytes throws(Failure) in try text(bytes, line: line) })
          if pipelineName.isEmpty { pipelineName = catalog.pipelines.first?.name ?? "sales" }
          var pipeline = catalog.pipeline(named: pipelineName)
          if pipeline == nil {
            discovered.append((pipelineName, stageName))
            pipeline = catalog.addPipeline(named: pipelineName, stages: [stageName])
          }
          if catalog.stage(named: stageName, in: pipeline!) == nil {
            discovered.append((pipelineName, stageName))
            catalog.addStage(named: stageName, to: pipeline!)
          }
          let stageID = catalog.stage(named: stageName, in: pipeline!)!
          stages.add(key, hash: hash, code: UInt32(stageID))
          return stageID
        }
        if id != 0 {
          if let first = idLines.line(of: id) {
            throw failure("duplicate id \(id): line \(first) has it too", line: line, column: idColumn)
          }
          if table.row(of: id) != nil {
            throw failure(
              "id \(id) is already in the store", line: line, column: idColumn,
              help: "remove the id column to give imported deals new ids")
          }
          idLines.add(id, line: line)
        }
        deals.appendRow(id: id, texts: texts, tagSet: tagSet, stage: stageID, value: value, days: days)
      }
    }
  }
}

/// The ids a file gives and the line of each. Exports list ids in order, and while they
/// ascend a repeat is impossible, so no hash table is kept; the first id out of order
/// builds one.
struct IDLines {
  private(set) var ids: [Int64] = []
  private(set) var lines: [Int] = []
  private var index: [Int64: Int]?
  private(set) var maximum: Int64 = 0

  /// The line that already gave `id`, if one did.
  func line(of id: Int64) -> Int? {
    if let index { return index[id] }
    guard let last = ids.last, id <= last else { return nil }
    var low = 0
    var high = ids.count
    while low < high {
      let mid = (low + high) / 2
      if ids[mid] < id { low = mid + 1 } else { high = mid }
    }
    return low < ids.count && ids[low] == id ? lines[low] : nil
  }

  mutating func add(_ id: Int64, line: Int) {
    if index == nil, let last = ids.last, id <= last {
      index = Dictionary(zip(ids, lines), uniquingKeysWith: { first, _ in first })
    }
    ids.append(id)
    lines.append(line)
    if index != nil && index![id] == nil { index![id] = line }
    maximum = max(maximum, id)
  }
}

/// Days already read in this piece, by their ten bytes: a file has a few thousand
/// distinct dates across five date columns, so most cells are a compare, not a parse.
struct DayCache {
  private var keys = [UInt64](repeating: 0, count: 4_096)
  private var tails = [UInt16](repeating: 0, count: 4_096)
  private var numbers = [Int32](repeating: 0, count: 4_096)

  /// The day in an ISO cell (`ValueParser.isoDay`), nil when it is not one.
  mutating func day(_ cell: UnsafeBufferPointer<UInt8>) -> Day? {
    guard cell.count == 10, let base = cell.baseAddress else { return ValueParser.isoDay(cell) }
    let raw = UnsafeRawPointer(base)
    let key = raw.loadUnaligned(as: UInt64.self)
    let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    // Key 0 (eight NUL bytes) is never an ISO date, so it marks an empty slot.
    let slot = Int(truncatingIfNeeded: ((key ^ UInt64(tail)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    if keys[slot] == key && tails[slot] == tail { return Day(number: numbers[slot]) }
    guard let day = ValueParser.isoDay(cell) else { return nil }
    keys[slot] = key
    tails[slot] = tail
    numbers[slot] = day.number
    return day
  }
}
