/// `add deal`: one deal made by hand, journaled as an insert (so `undo` removes it and
/// `log deal` shows its creation).
extension Engine {
  func addDeal(_ statement: AddDealStatement, source: SourceText, span: Span, text: String)
    throws(DiagnosticError) -> Outcome
  {
    var planner = Planner(table: database.table, today: options.today, source: source, statementSpan: span)
    let deal = try planner.newDeal(statement)
    let id = deal.id!
    var inserts = DealTable()
    inserts.pipelines = database.table.pipelines
    inserts.append([deal])
    var mutation = Mutation(statement: text, today: options.today)
    mutation.inserts = inserts
    let what = "deal \(id) (\(VisibleText.of(deal[text: .name]))) in \(deal.pipeline)/\(deal.stage)"
    var report = ActionReport(
      action: "add", changed: 1, unchanged: 0, dryRun: options.dryRun,
      wording: .init(preview: "would add \(what)", done: "added \(what)"), preview: ResultTable(columns: [], rows: []))
    report.newID = id
    guard try write([mutation], asking: report) else { return Engine.declined }
    return Outcome(result: .action(report), warnings: planner.warnings, notices: [])
  }
}
