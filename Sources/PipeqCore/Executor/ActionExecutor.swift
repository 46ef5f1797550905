import Foundation

/// Works out what a bulk action changes, deal by deal, without changing anything:
/// the result is a `Mutation` (with before-images) and the report a person reads.
/// Any deal that cannot take the change fails the whole action.
public struct ActionExecutor {
  public let table: DealTable
  public let today: Day
  public let source: SourceText
  public static let previewSize = 10

  public init(table: DealTable, today: Day, source: SourceText) {
    self.table = table
    self.today = today
    self.source = source
  }

  public func mutation(for plan: ActionPlan, dryRun: Bool) throws(DiagnosticError) -> (Mutation, ActionReport) {
    let rows = FilterCompiler.select(plan.filter, table)
    let worked: Worked
    switch plan.kind {
    case .close(let status, let reason): worked = close(rows, as: status, reason: reason)
    case .move(let stageName, let span, nil): worked = try move(rows, to: stageName, span: span)
    case .move(let stageName, _, let pipeline?): worked = move(rows, to: stageName, in: pipeline)
    case .set(let assignments): worked = try set(rows, assignments)
    case .tag(let names): worked = tag(rows, names, adding: true)
    case .untag(let names): worked = tag(rows, names, adding: false)
    case .delete: worked = Worked(action: "delete", shown: [], changed: rows, deletes: table.subset(rows))
    }
    var mutation = Mutation(statement: plan.statement, today: today)
    mutation.changes = worked.changes
    if let deletes = worked.deletes { mutation.deletes = deletes }
    let (changed, unchanged) = (worked.changed.count, rows.count - worked.changed.count)
    let report = ActionReport(
      action: worked.action, changed: changed, unchanged: unchanged, dryRun: dryRun,
      wording: .init(
        preview: summary(plan.kind, changed: changed, unchanged: unchanged, dryRun: true),
        done: summary(plan.kind, changed: changed, unchanged: unchanged, dryRun: false)),
      preview: preview(worked.changed, worked.shown, mutation))
    return (mutation, report)
  }

  /// What one kind of action does to the matched rows: the rows it changes, as change
  /// sets (or whole deals removed), and the fields its preview shows.
  private struct Worked {
    var action: String
    var shown: [Field]
    var changed: [Int] = []
    var changes: [ChangeSet] = []
    var deletes: DealTable?
  }

  /// `close won|lost [reason …]`: each deal to its own pipeline's closing stage.
  private func close(_ rows: [Int], as status: DealStatus, reason: String?) -> Worked {
    var worked = Worked(action: "close \(status.rawValue)", shown: reason == nil ? [.stage] : [.stage, .lostReason])
    var fields: [Field] = [.stage, .stageEntered, .closed]
    if reason != nil || status == .won { fields.append(.lostReason) }
    // Each pipeline's closing stage, looked up once.
    // (A removed pipeline has none, and no deals.)
    let targets = table.pipelines.pipelines.indices.map { table.pipelines.closingStage(status, in: UInt16($0)) ?? .max }
    var stageAfter = ValueColumn()
    for row in rows {
      let target = targets[Int(table.pipelines.stages[Int(table.stage[row])].pipeline)]
      if table.stage[row] == target { continue }
      worked.changed.append(row)
      stageAfter.append(.text(table.pipelines.stages[Int(target)].name))
    }
    var after: [Field: Value] = [.stageEntered: .date(today), .closed: .date(today)]
    if let reason { after[.lostReason] = .text(reason) } else if status == .won { after[.lostReason] = .empty }
    worked.changes = [bulkChanges(worked.changed, fields, stageAfter: stageAfter, constants: after)]
    return worked
  }

  /// `move to STAGE`: the stage of that name in each deal's own pipeline; a deal whose
  /// pipeline has none fails the whole move.
  private func move(_ rows: [Int], to stageName: String, span: Span) throws(DiagnosticError) -> Worked {
    var worked = Worked(action: "move", shown: [.stage])
    var cannot: [Int64] = []
    var pipelinesMissing = Set<String>()
    var stageAfter = ValueColumn()
    var closing = false
    let targets = table.pipelines.pipelines.indices.map { table.pipelines.stage(named: stageName, in: UInt16($0)) }
    for row in rows {
      let pipeline = table.pipelines.stages[Int(table.stage[row])].pipeline
      guard let target = targets[Int(pipeline)] else {
        cannot.append(table.ids[row])
        pipelinesMissing.insert(table.pipelines.pipelines[Int(pipeline)].name)
        continue
      }
      if table.stage[row] == target { continue }
      worked.changed.append(row)
      stageAfter.append(.text(table.pipelines.stages[Int(target)].name))
      closing = [.won, .lost].contains(table.pipelines.status(of: target))
    }
    guard cannot.isEmpty else {
      throw missingStage(stageName, cannot, pipelinesMissing.sorted(), span: span)
    }
    worked.changes = [
      bulkChanges(
        worked.changed, [.stage, .stageEntered, .closed], stageAfter: stageAfter,
        constants: [.stageEntered: .date(today), .closed: closing ? .date(today) : .empty])
    ]
    return worked
  }

  /// `move to PIPELINE/STAGE`: every deal into that pipeline's stage; the change set
  /// carries the pipeline too, so the stage is found in it (and undo finds the old one).
  private func move(_ rows: [Int], to stageName: String, in pipelineName: String) -> Worked {
    let catalog = table.pipelines
    let pipeline = catalog.pipeline(named: pipelineName)!
    let target = catalog.stage(named: stageName, in: pipeline)!
    var worked = Worked(action: "move", shown: [.pipeline, .stage])
    worked.changed = rows.filter { table.stage[$0] != target }
    let closing = catalog.status(of: target) == .won || catalog.status(of: target) == .lost
    worked.changes = [
      bulkChanges(
        worked.changed, [.pipeline, .stage, .stageEntered, .closed],
        stageAfter: ValueColumn(repeating: .text(stageName), count: worked.changed.count),
        constants: [
          .pipeline: .text(pipelineName), .stageEntered: .date(today), .closed: closing ? .date(today) : .empty,
        ])
    ]
    return worked
  }

  private func missingStage(_ stageName: String, _ cannot: [Int64], _ pipelines: [String], span: Span)
    -> DiagnosticError
  {
    let ids = cannot.prefix(5).map(String.init).joined(separator: ", ") + (cannot.count > 5 ? ", …" : "")
    let catalog = table.pipelines
    let home = catalog.pipelines[Int(catalog.stages[Int(catalog.stageIDs(named: stageName)[0])].pipeline)].name
    return DiagnosticError(
      .error(
        "stage '\(stageName)' does not exist in pipeline \(pipelines.map { "'\($0)'" }.joined(separator: ", ")): \(Format.count(cannot.count)) matched \(cannot.count == 1 ? "deal" : "deals") cannot move (\(ids)); nothing was changed",
        at: span, in: source, help: "narrow the filter, e.g. add `and pipeline = \(home)`"))
  }

  /// `set FIELD = EXPR, …`: each deal's new values, computed from its own.
  private func set(_ rows: [Int], _ assignments: [(Field, ValuePlan)]) throws(DiagnosticError) -> Worked {
    var worked = Worked(action: "set", shown: assignments.map(\.0))
    var changes = ChangeSet(fields: assignments.map(\.0))
    for row in rows {
      var after: [Value] = []
      for (field, valuePlan) in assignments {
        after.append(try evaluate(valuePlan, for: field, row: row))
      }
      if record(after, row, &changes) { worked.changed.append(row) }
    }
    worked.changes = [changes]
    return worked
  }

  /// `tag` and `untag`: names compared folding case; a deal's tags are kept sorted.
  private func tag(_ rows: [Int], _ names: [String], adding: Bool) -> Worked {
    var worked = Worked(action: adding ? "tag" : "untag", shown: [.tags])
    let keys = Set(names.map(\.folded))
    var changes = ChangeSet(fields: [.tags])
    for row in rows {
      let current = table.tags.tags(at: row)
      var next = current
      if adding {
        for name in names where !next.contains(where: { $0.folded == name.folded }) { next.append(name) }
      } else {
        next.removeAll { keys.contains($0.folded) }
      }
      if next.count == current.count { continue }
      if record([next.isEmpty ? .empty : .tags(next.sorted())], row, &changes) { worked.changed.append(row) }
    }
    worked.changes = [changes]
    return worked
  }

  /// The change set of a stage change: before-values captured column by column, the
  /// new stage per deal, the other fields one value for all.
  private func bulkChanges(_ rows: [Int], _ fields: [Field], stageAfter: ValueColumn, constants: [Field: Value])
    -> ChangeSet
  {
    let changes = fields.map { field in
      ChangeSet.FieldChange(
        field: field, before: ValueColumn(capturing: field, rows: rows, from: table),
        after: field == .stage ? stageAfter : ValueColumn(repeating: constants[field]!, count: rows.count))
    }
    return ChangeSet(ids: rows.map { table.ids[$0] }, fields: changes)
  }

  /// Adds the deal when one of its fields actually changes; true when it does.
  private func record(_ after: [Value], _ row: Int, _ changes: inout ChangeSet) -> Bool {
    // A plain loop: a closure here would capture `self`, and with it every column.
    var before: [Value] = []
    before.reserveCapacity(after.count)
    var changed = false
    for index in after.indices {
      let value = table.value(changes.fields[index].field, at: row, today: today)
      if value != after[index] && !(value.isEmpty && after[index].isEmpty) { changed = true }
      before.append(value)
    }
    if changed { changes.append(id: table.ids[row], before: before, after: after) }
    return changed
  }

  private func evaluate(_ plan: ValuePlan, for field: Field, row: Int) throws(DiagnosticError) -> Value {
    if field.kind == .money, let exact = try decimal(plan, row), let cents = Money.cents(exact) { return .money(cents) }
    let result = try compute(plan, row)
    switch (field.kind, result) {
    case (.money, .number(let number)):
      guard let cents = Money.cents(number) else {
        throw DiagnosticError(.error("the new \(field.rawValue) of deal \(table.ids[row]) is out of range"))
      }
      return .money(cents)
    default:
      return result
    }
  }

  /// A date moved by a duration; past the years pipeq keeps it is an error for the
  /// whole statement, never a date that `.export` writes and `.import` refuses.
  private func shifted(_ day: Day, by duration: Duration, _ sign: Int, _ row: Int) throws(DiagnosticError) -> Day {
    guard let moved = duration.subtracted(from: day, sign: sign) else {
      throw DiagnosticError(
        .error(
          "for deal \(table.ids[row]), \(day) \(sign > 0 ? "+" : "-") \(duration) is outside the dates pipeq keeps (\(Day.range)); nothing was changed"
        ))
    }
    return moved
  }

  /// Money arithmetic in decimal, so `value * 1.1` on 66,097.65 is 72,707.42 (half up),
  /// not the 72,707.41 that binary floating point gives; nil when the expression is not
  /// all numbers.
  private func decimal(_ plan: ValuePlan, _ row: Int) throws(DiagnosticError) -> Decimal? {
    switch plan {
    case .constant(.number(let number)): return Decimal(string: "\(number)")
    case .constant(.money(let cents)): return Decimal(cents) / Decimal(Money.scale)
    case .field(let field):
      switch table.value(field, at: row, today: today) {
      case .money(let cents): return Decimal(cents) / Decimal(Money.scale)
      case .integer(let n): return Decimal(n)
      case .days(let n): return Decimal(n)
      default: return nil
      }
    case .negate(let inner): return try decimal(inner, row).map { -$0 }
    case .arithmetic(let op, let a, let b):
      guard let x = try decimal(a, row), let y = try decimal(b, row) else { return nil }
      switch op {
      case .add: return x + y
      case .subtract: return x - y
      case .multiply: return x * y
      case .divide:
        guard y != 0 else {
          throw DiagnosticError(.error("division by zero for deal \(table.ids[row]); nothing was changed"))
        }
        return x / y
      }
    default: return nil
    }
  }

  private func compute(_ plan: ValuePlan, _ row: Int) throws(DiagnosticError) -> Value {
    switch plan {
    case .constant(let value): return value
    case .field(let field):
      switch table.value(field, at: row, today: today) {
      case .money(let cents): return .number(Double(cents) / Double(Money.scale))
      case .integer(let n): return .number(Double(n))
      case .days(let n): return .number(Double(n))
      case let other: return other
      }
    case .duration: return .empty
    case .negate(let inner):
      if case .number(let n) = try compute(inner, row) { return .number(-n) }
      return .empty
    case .arithmetic(let op, let a, let b):
      if case .duration(let duration) = b {
        guard case .date(let day) = try compute(a, row) else { return .empty }
        return .date(try shifted(day, by: duration, op == .add ? 1 : -1, row))
      }
      if case .duration(let duration) = a {
        guard case .date(let day) = try compute(b, row) else { return .empty }
        return .date(try shifted(day, by: duration, 1, row))
      }
      guard case .number(let x) = try compute(a, row), case .number(let y) = try compute(b, row) else {
        return .empty
      }
      switch op {
      case .add: return .number(x + y)
      case .subtract: return .number(x - y)
      case .multiply: return .number(x * y)
      case .divide:
        guard y != 0 else {
          throw DiagnosticError(.error("division by zero for deal \(table.ids[row]); nothing was changed"))
        }
        return .number(x / y)
      }
    }
  }

  private func summary(_ kind: ActionPlan.Kind, changed: Int, unchanged: Int, dryRun: Bool) -> String {
    let deals = { (n: Int) in "\(Format.count(n)) \(n == 1 ? "deal" : "deals")" }
    let verb: String
    var rest = ""
    switch kind {
    case .close(let status, _):
      verb =
        dryRun
        ? "would close \(deals(changed)) as \(status.rawValue)" : "closed \(deals(changed)) as \(status.rawValue)"
      if unchanged > 0 {
        rest =
          "; \(Format.count(unchanged)) \(unchanged == 1 ? (dryRun ? "is" : "was") : (dryRun ? "are" : "were")) already \(status.rawValue)"
      }
    case .move(let stage, _, let pipeline):
      let target = pipeline.map { "\($0)/\(stage)" } ?? stage
      verb = dryRun ? "would move \(deals(changed)) to \(target)" : "moved \(deals(changed)) to \(target)"
      if unchanged > 0 {
        rest =
          "; \(Format.count(unchanged)) \(unchanged == 1 ? (dryRun ? "is" : "was") : (dryRun ? "are" : "were")) already there"
      }
    case .set:
      verb = dryRun ? "would update \(deals(changed))" : "updated \(deals(changed))"
      if unchanged > 0 { rest = "; \(Format.count(unchanged)) already had those values" }
    case .tag(let names):
      verb =
        dryRun
        ? "would tag \(deals(changed)) \(names.joined(separator: ", "))"
        : "tagged \(deals(changed)) \(names.joined(separator: ", "))"
      if unchanged > 0 { rest = "; \(Format.count(unchanged)) already had the tags" }
    case .untag(let names):
      verb =
        dryRun
        ? "would untag \(deals(changed)) \(names.joined(separator: ", "))"
        : "untagged \(deals(changed)) \(names.joined(separator: ", "))"
      if unchanged > 0 { rest = "; \(Format.count(unchanged)) did not have the tags" }
    case .delete:
      verb = dryRun ? "would delete \(deals(changed))" : "deleted \(deals(changed))"
    }
    return verb + rest
  }

  /// The first changed deals: id, name, account, stage, value, and each shown field;
  /// every changed field as `old → new` (numbers as they are read, `10,000 → 11,000`).
  private func preview(_ rows: [Int], _ shown: [Field], _ mutation: Mutation) -> ResultTable {
    let base: [Field] = [.id, .name, .account, .stage, .value]
    let columns = base + shown.filter { !base.contains($0) }
    var editsByID: [Int64: [Field: Mutation.Edit]] = [:]
    let previewRows = Array(rows.prefix(ActionExecutor.previewSize))
    for row in previewRows {
      for edit in mutation.edits(of: table.ids[row]) { editsByID[edit.id, default: [:]][edit.field] = edit }
    }
    let values = previewRows.map { row -> [Value] in
      let id = table.ids[row]
      return columns.map { field -> Value in
        guard shown.contains(field), let edit = editsByID[id]?[field] else {
          return table.value(field, at: row, today: today)
        }
        return .text("\(ValueFormatter.display(edit.before)) → \(ValueFormatter.display(edit.after))")
      }
    }
    return ResultTable(columns: columns.map(\.rawValue), rows: values, totalRows: rows.count, rowNoun: "deal")
  }
}
