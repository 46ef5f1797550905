/// `pipelines` and the statements that shape them: each a journaled change carrying the
/// catalog before and after (undo puts it back), and the deals a removed stage moves.
extension Engine {
  /// Every live pipeline's stages in order: kind, probability, rotting days, deals, value.
  func pipelinesTable() -> ResultTable {
    let table = database.table
    let catalog = table.pipelines
    let settings = table.settings
    var counts = [Int](repeating: 0, count: catalog.stages.count)
    var totals = [MoneyTotal](repeating: MoneyTotal(), count: catalog.stages.count)
    let currency = table.textColumn(.currency)
    for row in 0..<table.count {
      let stage = Int(table.stage[row])
      counts[stage] += 1
      if table.value[row] != DealTable.emptyMoney {
        totals[stage].add(table.value[row], currency: currency.string(at: row))
      }
    }
    var rows: [[Value]] = []
    for pipeline in catalog.livePipelineIDs {
      for stage in catalog.pipelines[Int(pipeline)].stages {
        let info = catalog.stages[Int(stage)]
        rows.append([
          .text(catalog.pipelines[Int(pipeline)].name), .text(info.name), .text(info.kind.rawValue),
          .text(Settings.percent(settings.probability(of: stage, in: catalog))),
          .integer(Int64(settings.rotting(of: stage, in: catalog))), .integer(Int64(counts[Int(stage)])),
          counts[Int(stage)] == 0 ? .empty : .text(totals[Int(stage)].lines(settings).joined(separator: "\n")),
        ])
      }
    }
    var result = ResultTable(
      columns: ["pipeline", "stage", "kind", "probability", "rotting_days", "deals", "value"], rows: rows,
      rowNoun: "stage")
    result.keyColumns = 1
    result.leaveOut = ["rotting_days", "probability"]
    return result
  }

  func shape(_ change: PipelineChange, source: SourceText, span: Span, text: String) throws(DiagnosticError) -> Outcome
  {
    var planner = Planner(table: database.table, today: options.today, source: source, statementSpan: span)
    let plan = try planner.pipelineChange(change)
    var mutation = Mutation(statement: text, today: options.today)
    mutation.pipelinesBefore = database.table.pipelines
    mutation.pipelines = plan.catalog
    if let into = plan.into, !plan.moved.isEmpty { mutation.changes = [moving(plan.moved, into: into, plan.catalog)] }
    mutation.definitionEdits = plan.clearedSettings.map {
      .init(name: $0, before: database.table.definitions[$0], after: nil)
    }
    let report = ActionReport(
      action: "shape", changed: plan.moved.count, unchanged: 0, dryRun: options.dryRun,
      wording: .init(preview: plan.preview, done: plan.done), preview: ResultTable(columns: [], rows: []),
      asks: plan.moved.count > 1)
    guard try write([mutation], asking: report) else { return Engine.declined }
    return Outcome(result: .action(report), warnings: planner.warnings, notices: [])
  }

  /// The deals of a removed stage moved into another: stage and stage_entered (and the
  /// closing day, into a won or lost stage) as `move` sets them.
  private func moving(_ rows: [Int], into stage: UInt16, _ catalog: Pipelines) -> ChangeSet {
    let table = database.table
    let closes = catalog.status(of: stage) == .won || catalog.status(of: stage) == .lost
    let fields: [Field] = [.stage, .stageEntered] + (closes ? [.closed] : [])
    let after: [Field: Value] = [
      .stage: .text(catalog.stages[Int(stage)].name), .stageEntered: .date(options.today),
      .closed: .date(options.today),
    ]
    return ChangeSet(
      ids: rows.map { table.ids[$0] },
      fields: fields.map { field in
        ChangeSet.FieldChange(
          field: field, before: ValueColumn(capturing: field, rows: rows, from: table),
          after: ValueColumn(repeating: after[field]!, count: rows.count))
      })
  }
}
