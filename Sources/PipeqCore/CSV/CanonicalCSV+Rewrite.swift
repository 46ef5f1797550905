extension CanonicalCSV {
  /// The rewrite of one file, a step per kind of difference from the template.
  struct Rewrite {
    let columns: [Column]
    let fileName: String
    let firstOpenStage: String
    let headerLine: Int
    /// Each record's line in the file, for errors and for keeping lines in the output.
    var lines: [Int]
    /// Per field, each record's value (empty when none).
    var values: [Field: [String]] = [:]
    /// Records left out: an earlier row of a deal the file repeats.
    var dropped: Set<Int> = []
    var notes: [String] = []
    /// What the file says beyond the template's columns.
    var facts = FileFacts()
    /// Whether `closed` was filled from the close date.
    var filledClosed = false
    let records: [CSVRecords.Record]

    init(columns: [Column], records: [CSVRecords.Record], fileName: String, firstOpenStage: String) {
      self.columns = columns
      self.records = Array(records.dropFirst())
      self.headerLine = records.first?.line ?? 1
      self.lines = self.records.map(\.line)
      self.fileName = fileName
      self.firstOpenStage = firstOpenStage
    }

    /// Each step a pass over the records; `progress` is told as each ends.
    mutating func run(_ options: Options, progress: WorkProgress? = nil) throws(DiagnosticError) {
      let ignored = columns.filter { $0.role == nil && !$0.name.isEmpty }.map(\.name)
      if !ignored.isEmpty {
        notes.append("ignored unknown \(ignored.count == 1 ? "column" : "columns"): \(ignored.joined(separator: ", "))")
      }
      progress?.begin("converting", total: 7)
      let step = { progress?.advance(by: 1) }
      gatherFields()
      step()
      try settleDates(options.dateOrder)
      step()
      settleAmounts()
      step()
      settleStages()
      step()
      fillClosed()
      step()
      settleIDs()
      step()
      try readFacts(options.dateOrder)
      step()
    }

    func cell(_ record: Int, _ column: Int) -> String {
      guard column < records[record].cells.count else { return "" }
      let text = records[record].cells[column]
      return CanonicalCSV.isNull(text) ? "" : text
    }

    func columns(for role: ColumnMatcher.Role) -> [Int] {
      columns.indices.filter { columns[$0].role == role }.sorted { columns[$0].rank < columns[$1].rank }
    }

    /// One value per field: a row takes the first of the field's columns (best name
    /// first) that has a value, and two columns for one field are told of.
    private mutating func gatherFields() {
      for field in Field.stored {
        let sources = columns(for: .field(field))
        guard !sources.isEmpty else { continue }
        var column: [String] = []
        column.reserveCapacity(records.count)
        for record in records.indices {
          var value = ""
          for source in sources where value.isEmpty { value = cell(record, source) }
          column.append(value)
        }
        values[field] = column
        if sources.count > 1 {
          let names = sources.map { "'\(columns[$0].name)'" }
          notes.append(
            "columns \(names.joined(separator: " and ")) both mean \(field.rawValue): each row takes the first of them that has a value"
          )
        }
      }
    }

    /// Every date column in one format inferred from all its values, written as ISO.
    private mutating func settleDates(_ order: DateColumn.Order?) throws(DiagnosticError) {
      for field in Field.stored where field.kind == .date {
        guard let column = values[field] else { continue }
        if column.allSatisfy({ $0.isEmpty || Day(iso: $0.prefix(10)) != nil }) {
          values[field] = column.map { $0.isEmpty ? "" : String($0.prefix(10)) }
          continue
        }
        let name = columns(for: .field(field)).map { columns[$0].name }.first ?? field.rawValue
        let format: DateColumn.Order
        do {
          format = try DateColumn.infer(column, order: order)
        } catch {
          throw dateProblem(error, column: column, name: name)
        }
        values[field] = column.map { $0.isEmpty ? "" : DateColumn.day($0, format)?.description ?? $0 }
        if format != .ymd { notes.append("dates in '\(name)' read as \(CanonicalCSV.describe(format))") }
      }
    }

    /// The amount column read with one decimal mark for all its cells.
    private mutating func settleAmounts() {
      guard let column = values[.value] else { return }
      let mark = AmountColumn.mark(of: column)
      values[.value] = column.map { AmountColumn.normalized($0, mark) }
      let name = columns(for: .field(.value)).first.map { columns[$0].name } ?? "value"
      if mark == .comma { notes.append("amounts in '\(name)' read with a decimal comma") }
    }

    /// A date column beyond the template's (HubSpot's `Date entered …`, a modified
    /// date), read in the one format its values share.
    func days(ofColumn index: Int, _ order: DateColumn.Order?) throws(DiagnosticError) -> [Day?] {
      let column = records.indices.map { cell($0, index).trimmedFast }
      let format: DateColumn.Order
      do {
        format = try DateColumn.infer(column, order: order)
      } catch {
        throw dateProblem(error, column: column, name: columns[index].name)
      }
      return column.map { $0.isEmpty ? nil : DateColumn.day($0, format) }
    }

    private func dateProblem(_ problem: DateColumn.Problem, column: [String], name: String) -> DiagnosticError {
      switch problem {
      case .ambiguous:
        return DiagnosticError(
          Diagnostic(
            .error,
            "the dates in column '\(name)' fit both month/day and day/month (such as '\(column.first { !$0.isEmpty } ?? "")')",
            location: "\(fileName):\(headerLine)",
            help: "say which: .import \(fileName) dates mdy (3/1 is March 1) or dates dmy (3/1 is 3 January)"))
      case .mixed(let value):
        let line = column.firstIndex(of: value).map { lines[$0] } ?? headerLine
        let number = columns.firstIndex { $0.name == name }.map { ", column \($0 + 1)" } ?? ""
        return DiagnosticError(
          Diagnostic(
            .error, "'\(value)' in column '\(name)' is not a date in the format of the column's other dates",
            location: "\(fileName):\(line)\(number)",
            help: "dates are read in one format per column: fix this cell, or split the file by format"))
      }
    }

    /// Won and lost from a status column (Pipedrive's Status, Salesforce's IsWon and
    /// IsClosed) even when the stage name is neutral; a file without stages (a leads
    /// export) puts its deals in the first open stage.
    private mutating func settleStages() {
      let status = columns(for: .status).first
      let won = columns(for: .isWon).first
      let closed = columns(for: .isClosed).first
      if values[.stage] == nil {
        values[.stage] = Array(repeating: firstOpenStage, count: records.count)
        notes.append("the file has no stage column: its deals are open, in the stage \(firstOpenStage)")
      }
      guard status != nil || won != nil || closed != nil else { return }
      var settled = 0
      for record in records.indices {
        var outcome: String?
        if let status { outcome = StageWords.outcome(ofStatus: cell(record, status)) }
        if let won, StageWords.isTrue(cell(record, won)) { outcome = "won" }
        if let closed, StageWords.isTrue(cell(record, closed)), outcome == nil,
          !(won.map { StageWords.isTrue(cell(record, $0)) } ?? false)
        {
          outcome = "lost"
        }
        if let outcome, StageWords.outcome(ofStage: values[.stage]![record]) != outcome {
          values[.stage]![record] = outcome
          settled += 1
        }
      }
      if settled > 0 { notes.append("\(Format.count(settled)) deals are won or lost by their status column") }
    }

    /// A won or lost row's close date is the day it closed, when the file has no column
    /// of its own for that.
    private mutating func fillClosed() {
      guard values[.closed] == nil, let close = values[.expectedClose], let stages = values[.stage] else { return }
      var closed = Array(repeating: "", count: records.count)
      var filled = 0
      for record in records.indices where StageWords.outcome(ofStage: stages[record]) != nil && !close[record].isEmpty {
        closed[record] = close[record]
        filled += 1
      }
      guard filled > 0 else { return }
      values[.closed] = closed
      filledClosed = true
      notes.append("\(Format.count(filled)) won or lost deals took their close date as the day they closed")
    }

    /// Ids that are not whole numbers are the CRM's: kept as `external_id` while pipeq
    /// numbers the deals; a deal the file holds twice is its later row.
    private mutating func settleIDs() {
      guard let ids = values[.id], let odd = ids.first(where: { !$0.isEmpty && (Int64($0) ?? 0) <= 0 }) else {
        return
      }
      var last: [String: Int] = [:]
      for (record, id) in ids.enumerated() where !id.isEmpty { last[id] = record }
      for (record, id) in ids.enumerated() where !id.isEmpty && last[id] != record { dropped.insert(record) }
      if !dropped.isEmpty {
        notes.append("\(Format.count(dropped.count)) rows repeat a deal of a later row; the later row was kept")
      }
      values[.id] = nil
      if values[.externalID] == nil { values[.externalID] = ids }
      notes.append(
        "ids such as '\(odd)' are not whole numbers: they are kept as external_id, and pipeq numbered the deals")
    }

    /// The template CSV, each record on the line it had.
    func output() -> [UInt8] {
      let fields = Field.stored.filter { values[$0] != nil }
      let columns = fields.map { values[$0]! }
      var out = [UInt8](repeating: 0x0A, count: max(0, headerLine - 1))
      out.reserveCapacity(records.count * 16 * fields.count)
      out += Array(fields.map(\.rawValue).joined(separator: ",").utf8)
      var line = headerLine
      for record in records.indices {
        while line < lines[record] {
          out.append(0x0A)
          line += 1
        }
        guard !dropped.contains(record) else { continue }
        for (index, column) in columns.enumerated() {
          if index > 0 { out.append(0x2C) }
          line += CanonicalCSV.appendCell(column[record], to: &out)
        }
      }
      out.append(0x0A)
      return out
    }
  }

  static func describe(_ order: DateColumn.Order) -> String {
    switch order {
    case .ymd: return "year-month-day"
    case .mdy: return "month/day/year"
    case .dmy: return "day/month/year"
    case .named: return "dates with month names"
    case .serial: return "Excel serial numbers"
    }
  }
}
