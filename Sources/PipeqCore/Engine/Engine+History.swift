#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Engine {
  /// `history`: the mutating statements, oldest first (the last 20 unless a limit is given).
  func historyTable(limit: Int?) throws(DiagnosticError) -> ResultTable {
    let history = History(try database.recordSummaries())
    let shown = history.entries.suffix(limit ?? 20)
    let rows = shown.map { entry -> [Value] in
      let record = entry.record
      var note = ""
      switch record.kind {
      case .undo: note = "undo of " + record.targets.map { "#\($0)" }.joined(separator: ", ")
      case .redo: note = "redo of " + record.targets.map { "#\($0)" }.joined(separator: ", ")
      case .action, .importFile: if let by = entry.undoneBy { note = "undone by #\(by)" }
      }
      return [
        .text("#\(record.sequence)"), .text(Engine.localTime(record.time)), .text(record.user),
        .text(record.statement), .integer(Int64(record.dealCount)), note.isEmpty ? .empty : .text(note),
      ]
    }
    var table = ResultTable(
      columns: ["seq", "time", "user", "statement", "deals", "note"], rows: rows,
      totalRows: history.entries.count > shown.count ? history.entries.count : nil, rowNoun: "action")
    table.wrapping = ["statement", "note"]
    table.leaveOut = ["user"]
    return table
  }

  func undo(_ target: UndoTarget, source: SourceText, text: String) throws(DiagnosticError) -> Outcome {
    let planner = UndoPlanner(
      table: database.table, history: History(try database.recordSummaries()), load: database.records)
    let plan = try planner.undo(target, statement: text, today: options.today, source: source)
    return try apply(plan, kind: .undo, action: "undo")
  }

  func redo(source: SourceText, span: Span, text: String) throws(DiagnosticError) -> Outcome {
    let planner = UndoPlanner(
      table: database.table, history: History(try database.recordSummaries()), load: database.records)
    let plan = try planner.redo(statement: text, today: options.today)
    return try apply(plan, kind: .redo, action: "redo")
  }

  private func apply(_ plan: UndoPlanner.Plan, kind: JournalRecord.Kind, action: String) throws(DiagnosticError)
    -> Outcome
  {
    let report = ActionReport(
      action: action, changed: plan.changedDeals, unchanged: 0, dryRun: options.dryRun, wording: plan.wording,
      preview: changePreview(plan.mutations, deals: plan.changedDeals))
    guard try write(plan.mutations, kind: kind, targets: plan.targets, asking: report) else { return Engine.declined }
    return Outcome(result: .action(report), warnings: [], notices: [])
  }

  /// The first changes of a mutation list as rows: deal, field, now → then.
  private func changePreview(_ mutations: [Mutation], deals: Int) -> ResultTable {
    var rows: [[Value]] = []
    let table = database.table
    /// Whole deals removed or put back: one row each.
    func wholeDeals(_ deals: DealTable, _ change: String) -> Bool {
      for row in 0..<deals.count {
        rows.append([
          .integer(deals.ids[row]), deals.value(.name, at: row, today: options.today), .text("(deal)"), .text(change),
        ])
        if rows.count == ActionExecutor.previewSize { return false }
      }
      return true
    }
    outer: for mutation in mutations {
      guard wholeDeals(mutation.deletes, "removed") else { break }
      for edit in mutation.edits(limit: ActionExecutor.previewSize) {
        let name = table.row(of: edit.id).map { table.value(.name, at: $0, today: options.today) } ?? .empty
        rows.append([
          .integer(edit.id), name, .text(edit.field.rawValue),
          .text("\(ValueFormatter.display(edit.before)) → \(ValueFormatter.display(edit.after))"),
        ])
        if rows.count == ActionExecutor.previewSize { break outer }
      }
      guard wholeDeals(mutation.inserts, "restored") else { break }
    }
    var preview = ResultTable(
      columns: ["id", "name", "field", "change"], rows: rows, totalRows: Engine.changeCount(mutations),
      rowNoun: "change")
    preview.moreHint = Engine.extent(mutations, deals: deals)
    return preview
  }

  /// Every field that really changes and every whole deal a list of mutations holds.
  static func changeCount(_ mutations: [Mutation]) -> Int {
    mutations.reduce(0) { total, mutation in
      total + mutation.inserts.count + mutation.deletes.count
        + mutation.changes.reduce(0) { sum, set in
          sum + set.fields.reduce(0) { $0 + $1.before.changedCount(to: $1.after) }
        }
    }
  }

  /// `211 deals, 2 fields (value, owner)`: what an undo puts back, whatever its preview shows.
  static func extent(_ mutations: [Mutation], deals: Int) -> String {
    var fields: [String] = []
    for set in mutations.flatMap(\.changes) {
      for change in set.fields where !fields.contains(change.field.rawValue) { fields.append(change.field.rawValue) }
    }
    let dealText = "\(Format.count(deals)) \(deals == 1 ? "deal" : "deals")"
    guard !fields.isEmpty else { return dealText }
    return dealText + ", \(fields.count) \(fields.count == 1 ? "field" : "fields") (\(fields.joined(separator: ", ")))"
  }

  /// `log deal N`: every change to one deal, oldest first.
  func log(dealID: Int64, span: Span, source: SourceText) throws(DiagnosticError) -> ResultTable {
    var rows: [[Value]] = []
    for record in try database.records() {
      for mutation in record.mutations {
        let at: [Value] = [
          .text("#\(record.sequence)"), .text(Engine.localTime(record.time)), .text(record.user),
          .text(mutation.statement),
        ]
        if mutation.inserts.row(of: dealID) != nil {
          rows.append(at + [.text("(deal)"), .empty, .text("created")])
        }
        for edit in mutation.edits(of: dealID) {
          rows.append(at + [.text(edit.field.rawValue), display(edit.before), display(edit.after)])
        }
        if mutation.deletes.row(of: dealID) != nil {
          rows.append(at + [.text("(deal)"), .empty, .text("deleted")])
        }
      }
    }
    if rows.isEmpty && database.table.row(of: dealID) == nil {
      throw DiagnosticError(.error("there is no deal \(dealID), and none was ever recorded", at: span, in: source))
    }
    var table = ResultTable(
      columns: ["seq", "time", "user", "statement", "field", "old", "new"], rows: rows, rowNoun: "change")
    table.wrapping = ["statement", "old", "new"]
    table.leaveOut = ["user", "seq"]
    return table
  }

  private func display(_ value: Value) -> Value {
    if case .tags(let tags) = value { return .text(tags.joined(separator: ", ")) }
    return value
  }

  /// `YYYY-MM-DD HH:MM` in the local time zone.
  static func localTime(_ seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    localtime_r(&time, &parts)
    func pad(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
      "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) \(pad(parts.tm_hour)):\(pad(parts.tm_min))"
  }
}
