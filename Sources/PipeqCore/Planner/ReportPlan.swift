/// A report, checked and resolved: the pipeline by id, the period as days, the filter as
/// a plan.
public struct ReportPlan: Sendable {
  public var kind: ReportStatement.Kind
  public var pipeline: UInt16?
  public var period: Period?
  public var filter: FilterPlan
  public var strict: Bool
  /// `trend`: the field summed (nil: a count of deals), the date field and its unit.
  public var trendField: Field?
  public var trendDate: Field
  public var trendUnit: Period.Unit
  /// `as of`: the day the pipeline is reconstructed at.
  public var asOf: Day?
  /// `stale`: how many deals to list.
  public var limit = Stale.defaultLimit
}

extension Planner {
  /// The pipeline a board or funnel shows when none is named: the one with the most
  /// open deals (the first when none has any), never an empty built-in one.
  static func busiestPipeline(_ table: DealTable) -> UInt16 {
    let catalog = table.pipelines
    var open = [Int](repeating: 0, count: catalog.pipelines.count)
    for stage in table.stage where catalog.status(of: stage) == .open {
      open[Int(catalog.stages[Int(stage)].pipeline)] += 1
    }
    return UInt16(open.indices.max { open[$0] < open[$1] || (open[$0] == open[$1] && $0 > $1) } ?? 0)
  }

  mutating func reportPlan(_ report: ReportStatement) throws(DiagnosticError) -> ReportPlan {
    var pipeline: UInt16?
    if let name = report.pipeline {
      guard let id = table.pipelines.pipeline(named: name.text) else {
        let names = table.pipelines.pipelines.map(\.name)
        let hint = Suggestion.nearest(to: name.text, in: names).map { "did you mean '\($0)'?" }
        throw error(
          "unknown pipeline '\(name.text)'", name.span, help: hint ?? "pipelines: \(names.joined(separator: ", "))")
      }
      pipeline = id
    } else if report.kind == .board || report.kind == .funnel {
      pipeline = Planner.busiestPipeline(table)
    }
    var plan = ReportPlan(
      kind: report.kind, pipeline: pipeline,
      period: try report.period.map { p throws(DiagnosticError) in try period(p) },
      filter: try filter(report.filter), strict: report.strict, trendField: nil, trendDate: .created,
      trendUnit: .month, asOf: nil)
    if let field = report.trendField, field.text.lowercased() != "count" {
      let target = try self.field(field)
      guard target.kind == .money || target.kind == .integer || target.kind == .days else {
        throw error(
          "trend needs a number field or count; \(target.rawValue) is \(Planner.kindName(target))", field.span)
      }
      plan.trendField = target
    }
    if let grouping = report.trendGrouping {
      let date = try self.field(grouping.field)
      guard date.kind == .date else {
        throw error("trends follow a date field; \(date.rawValue) is \(Planner.kindName(date))", grouping.field.span)
      }
      plan.trendDate = date
      plan.trendUnit = grouping.period.flatMap { Period.Unit(rawValue: $0.text.lowercased()) } ?? .month
    }
    if let limit = report.limit { plan.limit = limit }
    if let asOf = report.asOf {
      switch try dateOperand(asOf, for: .created) {
      case .day(let day, _), .age(let day, _): plan.asOf = day
      }
    }
    return plan
  }
}
