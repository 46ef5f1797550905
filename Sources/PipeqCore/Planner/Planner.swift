/// Checks a parsed statement against the store and resolves it into a plan. Every
/// error is found here, before anything runs; warnings (a value no deal has) are
/// collected and the statement still runs.
public struct Planner {
  public let table: DealTable
  public let today: Day
  public let source: SourceText
  /// Where the statement ends, for errors about what is missing from it.
  public let statementEnd: Int
  public internal(set) var warnings: [Diagnostic] = []
  /// Saved filters being expanded, to refuse one that uses itself.
  var expanding: Set<String> = []
  /// Saved filters planned so far in this statement, with the tests each holds: one
  /// used many times (or by filters that use each other) is planned once.
  var savedFilters: [String: (plan: FilterPlan, tests: Int)] = [:]
  /// The tests the filter holds once saved filters are expanded; past `maximumTests` it
  /// is refused, so a filter doubled by saved filters cannot take minutes to scan.
  var testCount = 0
  static let maximumTests = 10_000

  public init(table: DealTable, today: Day, source: SourceText, statementSpan: Span? = nil) {
    self.table = table
    self.today = today
    self.source = source
    self.statementEnd = statementSpan?.end ?? source.bytes.count
  }

  /// The columns `list` shows when none are named.
  public static let defaultListFields: [Field] = [
    .id, .name, .account, .owner, .stage, .value, .lastInteraction,
  ]

  public mutating func makePlan(for statement: Statement, text: String) throws(DiagnosticError)
    -> Plan
  {
    switch statement {
    case .list(let list):
      return .list(try listPlan(list))
    case .count(let filterExpr, let by):
      return .aggregate(
        AggregatePlan(
          function: .count, field: nil, filter: try filter(filterExpr), groups: try groups(by)))
    case .aggregate(let function, let name, let filterExpr, let by):
      let target = try field(name)
      try checkAggregate(function, target, name.span)
      return .aggregate(
        AggregatePlan(
          function: AggregatePlan.Function(rawValue: function.rawValue)!, field: target,
          filter: try filter(filterExpr), groups: try groups(by)))
    case .close(let outcome, let reason, let filterExpr):
      if outcome == .won, let reason {
        throw error("a reason is only recorded for lost deals", reason.span)
      }
      let plan = try bulkFilter(filterExpr, verb: "close")
      return .action(
        ActionPlan(
          kind: .close(outcome == .won ? .won : .lost, reason: reason?.text), filter: plan,
          statement: text))
    case .move(let stage, let pipelineName, let filterExpr):
      let into = try pipelineName.map { name throws(DiagnosticError) in try pipeline(name) }
      let target = try into.map { pipeline throws(DiagnosticError) in try self.stage(stage, in: pipeline) }
      guard target != nil || !table.pipelines.stageIDs(named: stage.text).isEmpty else { throw unknownStage(stage) }
      let plan = try bulkFilter(filterExpr, verb: "move")
      let canonical = table.pipelines.stages[Int(target ?? table.pipelines.stageIDs(named: stage.text)[0])].name
      return .action(
        ActionPlan(
          kind: .move(
            stageName: canonical, span: stage.span, pipeline: into.map { table.pipelines.pipelines[Int($0)].name }),
          filter: plan, statement: text))
    case .set(let assignments, let filterExpr):
      let resolved = try assignmentPlans(assignments)
      let plan = try bulkFilter(filterExpr, verb: "set")
      return .action(ActionPlan(kind: .set(resolved), filter: plan, statement: text))
    case .tag(let names, let filterExpr), .untag(let names, let filterExpr):
      let plan = try bulkFilter(filterExpr, verb: { if case .tag = statement { "tag" } else { "untag" } }())
      let tags = names.map(\.text)
      if case .tag = statement {
        return .action(ActionPlan(kind: .tag(tags), filter: plan, statement: text))
      }
      return .action(ActionPlan(kind: .untag(tags), filter: plan, statement: text))
    case .delete(let filterExpr):
      let plan = try bulkFilter(filterExpr, verb: "delete")
      return .action(ActionPlan(kind: .delete, filter: plan, statement: text))
    case .explain(let inner, _):
      return .explain(try makePlan(for: inner, text: text))
    case .report(let report):
      return .report(try reportPlan(report))
    case .show(.deal(let id, let span)):
      guard table.row(of: id) != nil else {
        throw error("there is no deal \(id)", span, help: "`list id, name` lists the deals there are")
      }
      return .show(ShowPlan(filter: .range(.id, id...id, label: "id = \(id)"), limit: 1))
    case .show(.filter(let expr)):
      return .show(ShowPlan(filter: try filter(expr), limit: ShowPlan.limit))
    case .ranked(let inner, let order, let limit):
      return try ranked(try makePlan(for: inner, text: text), order: order, limit: limit)
    case .asOf(let inner, let day):
      switch try dateOperand(day, for: .created) {
      case .day(let day, _), .age(let day, _): return .asOf(try makePlan(for: inner, text: text), day)
      }
    case .meta, .history, .undo, .redo, .log, .define, .undefine, .defs, .call, .addDeal, .pipelines, .shape:
      // The engine runs these itself; only `explain` brings one here.
      throw DiagnosticError(
        .error(
          "explain shows the plan of list, count, sum/avg/min/max and bulk actions",
          at: Span(0, min(7, source.bytes.count)), in: source))
    }
  }

  private mutating func listPlan(_ list: ListStatement) throws(DiagnosticError) -> ListPlan {
    let fields =
      try list.fields.isEmpty
      ? Planner.defaultListFields : list.fields.map { n throws(DiagnosticError) in try field(n) }
    var order: [(field: Field, descending: Bool)] = []
    for term in list.order { order.append((try field(term.field), term.descending)) }
    return ListPlan(fields: fields, filter: try filter(list.filter), order: order, limit: list.limit)
  }

  /// `set`'s assignments: each a field `set` may write, once, with its value checked
  /// against the field's kind.
  private mutating func assignmentPlans(_ assignments: [Assignment]) throws(DiagnosticError) -> [(Field, ValuePlan)] {
    var resolved: [(Field, ValuePlan)] = []
    var seen = Set<Field>()
    for assignment in assignments {
      let target = try field(assignment.field)
      guard target.isSettable else {
        throw error("\(target.rawValue) cannot be set", assignment.field.span, help: Planner.settableHelp(target))
      }
      guard seen.insert(target).inserted else {
        throw error("\(target.rawValue) is set twice", assignment.field.span)
      }
      resolved.append((target, try valuePlan(assignment.value, for: target)))
    }
    return resolved
  }

  static func settableHelp(_ field: Field) -> String {
    switch field {
    case .stage, .pipeline: return "use move to change a deal's stage, close to win or lose it"
    case .tags: return "use tag / untag"
    case .id: return "ids are kept for good"
    default: return "\(field.rawValue) is derived from other fields"
    }
  }

  public mutating func filter(_ expr: FilterExpr?) throws(DiagnosticError) -> FilterPlan {
    guard let expr else { return .all }
    return try filterPlan(expr)
  }

  private mutating func bulkFilter(_ expr: FilterExpr?, verb: String) throws(DiagnosticError)
    -> FilterPlan
  {
    guard let expr else {
      throw DiagnosticError(
        .error(
          "\(verb) changes deals in bulk and needs a where filter",
          at: Span(statementEnd, statementEnd), in: source,
          help: "say which deals, e.g. `\(verb) ... where stage = lead`"))
    }
    return try filterPlan(expr)
  }

  func field(_ name: Name) throws(DiagnosticError) -> Field {
    if let field = Field(named: name.text) { return field }
    let hint = Suggestion.nearest(to: name.text, in: Field.allNames).map { "did you mean '\($0)'?" }
    throw error(
      "unknown field '\(name.text)'", name.span, help: hint ?? "fields: \(Field.allNames.joined(separator: ", "))")
  }

  private func groups(_ groupings: [Grouping]) throws(DiagnosticError) -> [AggregatePlan.Group] {
    var groups: [AggregatePlan.Group] = []
    for grouping in groupings {
      groups.append(.init(field: try groupField(grouping), period: groupPeriod(grouping)))
    }
    return groups
  }

  private func groupField(_ grouping: Grouping) throws(DiagnosticError) -> Field {
    let name = grouping.field
    let group = try field(name)
    if grouping.period != nil {
      guard group.kind == .date else {
        throw error(
          "\(grouping.period!.text)( ) groups a date field; \(group.rawValue) is \(Planner.kindName(group))", name.span,
          help: "date fields: created, stage_entered, expected_close, closed, last_interaction")
      }
      return group
    }
    if group == .value || group.kind == .days {
      throw error("cannot group by \(group.rawValue): it has too many distinct values", name.span)
    }
    return group
  }

  private func groupPeriod(_ grouping: Grouping) -> Period.Unit? {
    grouping.period.flatMap { Period.Unit(rawValue: $0.text.lowercased()) }
  }

  private func checkAggregate(_ function: AggregateFunction, _ target: Field, _ span: Span)
    throws(DiagnosticError)
  {
    switch target.kind {
    case .money, .integer, .days: return
    case .date where function == .min || function == .max || function == .median: return
    default:
      throw error(
        "\(function.rawValue) needs a number field; \(target.rawValue) is \(Planner.kindName(target))",
        span, help: "number fields: value, weighted, probability, age, stage_age, idle")
    }
  }

  func error(_ message: String, _ span: Span, help: String? = nil) -> DiagnosticError {
    DiagnosticError(.error(message, at: span, in: source, help: help))
  }

  mutating func warn(_ message: String, _ span: Span) {
    warnings.append(Diagnostic(.warning, message, at: span, in: source))
  }

  /// The pipeline a name means, or an error at it with the nearest name.
  func pipeline(_ name: Name) throws(DiagnosticError) -> UInt16 {
    if let id = table.pipelines.pipeline(named: name.text) { return id }
    let names = table.pipelines.livePipelineIDs.map { table.pipelines.pipelines[Int($0)].name }
    let hint = Suggestion.nearest(to: name.text, in: names).map { "did you mean '\($0)'?" }
    throw error(
      "unknown pipeline '\(name.text)'", name.span, help: hint ?? "pipelines: \(names.joined(separator: ", "))")
  }

  func unknownStage(_ name: Name) -> DiagnosticError {
    let hint = Suggestion.nearest(to: name.text, in: table.pipelines.stageNames).map {
      "did you mean '\($0)'?"
    }
    return error(
      "unknown stage '\(name.text)'", name.span,
      help: hint ?? "stages: \(table.pipelines.stageNames.joined(separator: ", "))")
  }

  static func kindName(_ field: Field) -> String {
    switch field.kind {
    case .integer: return "a number"
    case .text, .pipeline, .status: return "text"
    case .stage: return "a stage"
    case .money: return "money"
    case .date: return "a date"
    case .tags: return "a set of tags"
    case .days: return "a duration in days"
    }
  }
}
