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
  var idLines: [Int64: Int] = [:]
  /// Ids given in the file, in file order.
  var idOrder: [Int64] = []
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
      try parse(CSVReader(bytes: bytes, range: range, line: line), columns, table)
    } catch {
      failure = (error.line, error.error)
    }
  }

  struct Failure: Error {
    var line: Int
    var error: DiagnosticError
  }

  private mutating func parse(_ start: CSVReader, _ columns: Columns, _ table: DealTable) throws(Failure) {
    var reader = start
    let fields = columns.fields
    let fileName = columns.fileName
    func failure(_ message: String, line: Int, column: Int? = nil, help: String? = nil) -> Failure {
      let place = column.map { "\(fileName):\(line), column \($0)" } ?? "\(fileName):\(line)"
      return Failure(line: line, error: DiagnosticError(Diagnostic(.error, message, location: place, help: help)))
    }
    func nextRecord() throws(Failure) -> CSVReader.Record? {
      do {
        return try reader.next()
      } catch {
        switch error {
        case .unterminatedQuote(let line): throw failure("a quoted field is never closed", line: line)
        case .textAfterQuote(let line):
          throw failure(
            "text after a closing quote", line: line,
            help: "quotes inside a quoted field are doubled: \"say \"\"hi\"\"\"")
        case .invalidUTF8(let line):
          throw failure("the file is not UTF-8 text", line: line, help: "save the spreadsheet as CSV UTF-8")
        }
      }
    }
    var newPipelines: [String] = []
    var newStages: [String: [String]] = [:]
    var resolved: [String: UInt16] = [:]
    // Spreadsheets repeat a few tag lists: each distinct cell is parsed once.
    var tagSets: [String: UInt32] = [:]
    while let record = try nextRecord() {
      if record.fields.count == 1, record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
      guard record.fields.count <= fields.count || record.fields[fields.count...].allSatisfy({ $0.isEmpty }) else {
        throw failure("this row has \(record.fields.count) cells, the header has \(fields.count)", line: record.line)
      }
      var deal = Deal()
      var tagCell = ""
      var pipelineName = ""
      var stageName = ""
      var symbolCurrency: String?
      for (index, raw) in record.fields.enumerated() where index < fields.count {
        guard let field = fields[index] else { continue }
        let cell = raw.trimmedFast
        if cell.isEmpty { continue }
        let column = index + 1
        let name = columns.names[index]
        switch field {
        case .id:
          guard let id = Int64(cell), id > 0 else {
            throw failure(
              "id '\(cell)' is not a positive whole number (column \(name))", line: record.line, column: column)
          }
          deal.id = id
        case .value:
          guard let (cents, currency) = ValueParser.amount(cell) else {
            throw failure(
              "'\(cell)' is not an amount (column \(name))", line: record.line, column: column,
              help: "amounts like 12500, 12,500.00, $12,500 or 1.234,56 €")
          }
          deal.value = cents
          symbolCurrency = currency
        case .created, .stageEntered, .expectedClose, .closed, .lastInteraction:
          guard let day = ValueParser.day(cell) else {
            throw failure(
              "'\(cell)' is not a date (column \(name))", line: record.line, column: column,
              help: "dates are YYYY-MM-DD (a time after the date is ignored)")
          }
          deal[field] = .date(day)
        case .tags: tagCell = cell
        case .pipeline: pipelineName = cell
        case .stage: stageName = cell
        default: deal[field] = .text(cell)
        }
      }
      if deal.currency.isEmpty, let symbolCurrency {
        deal.currency = symbolCurrency
        currencyFromSymbol += 1
      }
      guard !stageName.isEmpty else {
        throw failure("the stage is empty", line: record.line, column: (fields.firstIndex(of: .stage) ?? 0) + 1)
      }
      // Rows repeat a handful of (pipeline, stage) pairs: resolve each pair once.
      let key = pipelineName + "\u{1F}" + stageName
      let stageID: UInt16
      if let known = resolved[key] {
        stageID = known
      } else {
        stageName = CSVImporter.canonicalStage(stageName)
        if pipelineName.isEmpty { pipelineName = catalog.pipelines.first?.name ?? "sales" }
        var pipeline = catalog.pipeline(named: pipelineName)
        if pipeline == nil {
          discovered.append((pipelineName, stageName))
          pipeline = catalog.addPipeline(named: pipelineName, stages: [stageName])
          newPipelines.append(pipelineName)
        }
        if catalog.stage(named: stageName, in: pipeline!) == nil {
          discovered.append((pipelineName, stageName))
          catalog.addStage(named: stageName, to: pipeline!)
          if !newPipelines.contains(pipelineName) { newStages[pipelineName, default: []].append(stageName) }
        }
        stageID = catalog.stage(named: stageName, in: pipeline!)!
        resolved[key] = stageID
      }
      if let id = deal.id {
        if let first = idLines[id] {
          throw failure(
            "duplicate id \(id): line \(first) has it too", line: record.line,
            column: (fields.firstIndex(of: .id) ?? 0) + 1)
        }
        if table.row(of: id) != nil {
          throw failure(
            "id \(id) is already in the store", line: record.line, column: (fields.firstIndex(of: .id) ?? 0) + 1,
            help: "remove the id column to give imported deals new ids")
        }
        idLines[id] = record.line
        idOrder.append(id)
      }
      let tagSet: UInt32
      if let known = tagSets[tagCell] {
        tagSet = known
      } else {
        let names = tagCell.split(whereSeparator: { $0 == ";" || $0 == "," })
          .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        tagSet = deals.tags.code(for: names)
        tagSets[tagCell] = tagSet
      }
      deals.append(deal, stage: stageID, tagSet: tagSet)
    }
    _ = newStages
  }
}
