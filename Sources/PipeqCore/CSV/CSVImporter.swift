import Foundation

/// Turns a spreadsheet CSV into an all-or-nothing insert: every row is checked before
/// anything is kept, and the first bad cell aborts the import with file:line.
public struct CSVImporter {
  public struct Report: Sendable {
    public var imported: Int
    public var notices: [String]
  }

  public let table: DealTable
  public let today: Day

  public init(table: DealTable, today: Day) {
    self.table = table
    self.today = today
  }

  public func makeMutation(bytes: [UInt8], fileName: String, statement: String) throws(DiagnosticError)
    -> (Mutation, Report)
  {
    var reader = CSVReader(bytes: bytes)
    func fail(_ message: String, line: Int, column: Int? = nil, help: String? = nil) -> DiagnosticError {
      let place = column.map { "\(fileName):\(line), column \($0)" } ?? "\(fileName):\(line)"
      return DiagnosticError(Diagnostic(.error, message, location: place, help: help))
    }
    func nextRecord() throws(DiagnosticError) -> CSVReader.Record? {
      do {
        return try reader.next()
      } catch {
        switch error {
        case .unterminatedQuote(let line): throw fail("a quoted field is never closed", line: line)
        case .textAfterQuote(let line):
          throw fail(
            "text after a closing quote", line: line,
            help: "quotes inside a quoted field are doubled: \"say \"\"hi\"\"\"")
        case .invalidUTF8(let line):
          throw fail("the file is not UTF-8 text", line: line, help: "save the spreadsheet as CSV UTF-8")
        }
      }
    }
    guard let header = try nextRecord() else {
      throw DiagnosticError(Diagnostic(.error, "\(fileName) is empty: a header row is required", location: fileName))
    }
    var fields: [Field?] = []
    var ignored: [String] = []
    var seen: [Field: String] = [:]
    for (index, name) in header.fields.enumerated() {
      guard let field = ColumnMatcher.field(forHeader: name) else {
        if !name.trimmingCharacters(in: .whitespaces).isEmpty { ignored.append(name) }
        fields.append(nil)
        continue
      }
      if let earlier = seen[field] {
        throw fail(
          "columns '\(earlier)' and '\(name)' both mean \(field.rawValue)", line: header.line, column: index + 1)
      }
      seen[field] = name
      fields.append(field)
    }
    guard seen[.stage] != nil else {
      throw fail(
        "no stage column", line: header.line,
        help: "the header needs a stage column (Stage, Deal Stage); see the template columns in README")
    }

    var catalog = table.pipelines
    let catalogBefore = catalog
    var newStages: [String: [String]] = [:]
    var newPipelines: [String] = []
    // The deals are built straight into columns of their own table.
    var deals = DealTable()
    var idLines: [Int64: Int] = [:]
    var currencyFromSymbol = 0
    var resolved: [String: UInt16] = [:]
    // Spreadsheets repeat a few tag lists: each distinct cell is parsed once.
    var tagSets: [String: UInt32] = [:]
    while let record = try nextRecord() {
      if record.fields.count == 1, record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
      guard record.fields.count <= fields.count || record.fields[fields.count...].allSatisfy({ $0.isEmpty }) else {
        throw fail("this row has \(record.fields.count) cells, the header has \(fields.count)", line: record.line)
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
        let name = header.fields[index]
        switch field {
        case .id:
          guard let id = Int64(cell), id > 0 else {
            throw fail(
              "id '\(cell)' is not a positive whole number (column \(name))", line: record.line, column: column)
          }
          deal.id = id
        case .value:
          guard let (cents, currency) = ValueParser.amount(cell) else {
            throw fail(
              "'\(cell)' is not an amount (column \(name))", line: record.line, column: column,
              help: "amounts like 12500, 12,500.00, $12,500 or 1.234,56 €")
          }
          deal.value = cents
          symbolCurrency = currency
        case .created, .stageEntered, .expectedClose, .closed, .lastInteraction:
          guard let day = ValueParser.day(cell) else {
            throw fail(
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
        throw fail("the stage is empty", line: record.line, column: (fields.firstIndex(of: .stage) ?? 0) + 1)
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
          pipeline = catalog.addPipeline(named: pipelineName, stages: [stageName])
          newPipelines.append(pipelineName)
        }
        if catalog.stage(named: stageName, in: pipeline!) == nil {
          catalog.addStage(named: stageName, to: pipeline!)
          if !newPipelines.contains(pipelineName) { newStages[pipelineName, default: []].append(stageName) }
        }
        stageID = catalog.stage(named: stageName, in: pipeline!)!
        resolved[key] = stageID
      }
      if let id = deal.id {
        if let first = idLines[id] {
          throw fail(
            "duplicate id \(id): line \(first) has it too", line: record.line,
            column: (fields.firstIndex(of: .id) ?? 0) + 1)
        }
        if table.row(of: id) != nil {
          throw fail(
            "id \(id) is already in the store", line: record.line, column: (fields.firstIndex(of: .id) ?? 0) + 1,
            help: "remove the id column to give imported deals new ids")
        }
        idLines[id] = record.line
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
    // Deals without an id (0 here) get the next free ones, in file order.
    var next = max(table.nextID, (idLines.keys.max() ?? 0) + 1)
    for row in deals.ids.indices where deals.ids[row] == 0 {
      deals.ids[row] = next
      next += 1
    }
    deals.pipelines = catalog
    deals.sortByID()
    var mutation = Mutation(statement: statement, today: today)
    mutation.inserts = deals
    if catalog != catalogBefore { mutation.pipelines = catalog }
    var notices: [String] = []
    for name in newPipelines {
      let pipeline = catalog.pipeline(named: name)!
      let stages = catalog.pipelines[Int(pipeline)].stages.map { catalog.stages[Int($0)].name }
      notices.append("new pipeline '\(name)': \(stages.joined(separator: ", "))")
    }
    for (name, stages) in newStages.sorted(by: { $0.key < $1.key }) {
      notices.append("new \(stages.count == 1 ? "stage" : "stages") in '\(name)': \(stages.joined(separator: ", "))")
    }
    if !ignored.isEmpty {
      notices.append("ignored unknown \(ignored.count == 1 ? "column" : "columns"): \(ignored.joined(separator: ", "))")
    }
    if currencyFromSymbol > 0 {
      notices.append("took the currency of \(Format.count(currencyFromSymbol)) deals from the symbol in their amount")
    }
    return (mutation, Report(imported: deals.count, notices: notices))
  }

  /// CRM exports name the closing stages "Closed Won" / "Closed Lost".
  static func canonicalStage(_ name: String) -> String {
    switch ColumnMatcher.normalize(name) {
    case "closedwon", "won": return "won"
    case "closedlost", "lost": return "lost"
    default: return name
    }
  }
}

extension String {
  /// Trims spaces, tabs and line breaks; most cells have none, and then the string is
  /// returned as is without going through Foundation.
  var trimmedFast: String {
    let utf8 = self.utf8
    guard let first = utf8.first, let last = utf8.last else { return self }
    func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
    if !isSpace(first) && !isSpace(last) { return self }
    return trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
