/// `show`: deals whole, with their latest changes read from the journal in one pass.
extension Engine {
  func show(_ plan: ShowPlan) throws(DiagnosticError) -> ReportResult {
    let table = database.table
    let rows = FilterCompiler.select(plan.filter, table)
    let shown = Array(rows.prefix(plan.limit))
    let changes = try changes(of: Set(shown.map { table.ids[$0] }))
    let cards = shown.map { row in
      DealCard(row: row, of: table, today: options.today, changes: changes[table.ids[row]] ?? [])
    }
    return DealCards.result(cards, total: rows.count)
  }

  /// Every recorded change of these deals, oldest first: creation, field edits, deletion.
  private func changes(of ids: Set<Int64>) throws(DiagnosticError) -> [Int64: [DealCard.Change]] {
    var found: [Int64: [DealCard.Change]] = [:]
    guard !ids.isEmpty else { return found }
    for record in try database.records() {
      let time = Engine.localTime(record.time)
      for mutation in record.mutations {
        for id in ids {
          func add(_ field: String, _ before: Value, _ after: Value) {
            found[id, default: []].append(
              .init(sequence: record.sequence, time: time, field: field, before: before, after: after))
          }
          if mutation.inserts.row(of: id) != nil { add("(deal)", .empty, .text("created")) }
          for edit in mutation.edits(of: id) { add(edit.field.rawValue, edit.before, edit.after) }
        }
      }
    }
    return found
  }
}
