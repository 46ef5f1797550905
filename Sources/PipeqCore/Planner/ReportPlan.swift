/// A report, checked and resolved: the pipeline by id, the period as days, the filter as
/// a plan; each report with only what it reads.
public struct ReportPlan: Sendable {
  public enum Report: Sendable {
    /// As of a day, the board is the pipeline as it stood (an `(earlier stage)` included).
    case board(pipeline: UInt16, asOf: Day?)
    case funnel(FunnelPlan)
    case health(period: Period?)
    case team(period: Period?)
    /// `stale`: how many deals to list.
    case stale(limit: Int)
    case trend(TrendPlan)
  }

  public var report: Report
  public var filter: FilterPlan
  /// The report's keyword, from its statement (for `explain`).
  public var kind: ReportStatement.Kind

  /// The period the report covers, for `explain`.
  var period: Period? {
    switch report {
    case .funnel(let funnel): return funnel.period
    case .health(let period), .team(let period): return period
    case .trend(let trend): return trend.period
    case .board, .stale: return nil
    }
  }

  /// The day the pipeline is reconstructed at, for `explain`.
  var asOf: Day? {
    switch report {
    case .board(_, let day): return day
    case .funnel(let funnel): return funnel.asOf
    default: return nil
    }
  }
}

/// `funnel`: the pipeline, the cohort (deals created in the period), whether only
/// stages entered count, and the day it is seen from.
public struct FunnelPlan: Sendable {
  public var pipeline: UInt16
  public var period: Period?
  public var strict: Bool
  public var asOf: Day?
}

/// `trend`: the field summed (nil: a count of deals), the date field and its unit.
public struct TrendPlan: Sendable {
  public var field: Field?
  public var date: Field
  public var unit: Period.Unit
  public var period: Period?
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
    let live = catalog.livePipelineIDs.map(Int.init)
    return UInt16(live.max { open[$0] < open[$1] || (open[$0] == open[$1] && $0 > $1) } ?? 0)
  }

  mutating func reportPlan(_ statement: ReportStatement) throws(DiagnosticError) -> ReportPlan {
    let report: ReportPlan.Report
    switch statement.report {
    case .board(let pipeline, let asOf):
      report = .board(pipeline: try reportPipeline(pipeline), asOf: try asOfDay(asOf))
    case .funnel(let pipeline, let period, let strict, let asOf):
      report = .funnel(
        FunnelPlan(
          pipeline: try reportPipeline(pipeline), period: try optionalPeriod(period), strict: strict,
          asOf: try asOfDay(asOf)))
    case .health(let period): report = .health(period: try optionalPeriod(period))
    case .team(let period): report = .team(period: try optionalPeriod(period))
    case .stale(let limit): report = .stale(limit: limit ?? Stale.defaultLimit)
    case .trend(let field, let grouping, let period):
      report = .trend(try trendPlan(field, grouping, period))
    }
    return ReportPlan(report: report, filter: try filter(statement.filter), kind: statement.kind)
  }

  /// The pipeline named, or the busiest one.
  private func reportPipeline(_ name: Name?) throws(DiagnosticError) -> UInt16 {
    guard let name else { return Planner.busiestPipeline(table) }
    return try pipeline(name)
  }

  private func optionalPeriod(_ expr: PeriodExpr?) throws(DiagnosticError) -> Period? {
    guard let expr else { return nil }
    return try period(expr)
  }

  private func asOfDay(_ expr: ValueExpr?) throws(DiagnosticError) -> Day? {
    guard let expr else { return nil }
    switch try dateOperand(expr, for: .created) {
    case .day(let day, _), .age(let day, _): return day
    }
  }

  private func trendPlan(_ field: Name, _ grouping: Grouping, _ period: PeriodExpr?)
    throws(DiagnosticError) -> TrendPlan
  {
    var plan = TrendPlan(field: nil, date: .created, unit: .month, period: try optionalPeriod(period))
    if field.text.lowercased() != "count" {
      let target = try self.field(field)
      guard target.kind == .money || target.kind == .integer || target.kind == .days else {
        throw error(
          "trend needs a number field or count; \(target.rawValue) is \(Planner.kindName(target))", field.span)
      }
      plan.field = target
    }
    let date = try self.field(grouping.field)
    guard date.kind == .date else {
      throw error("trends follow a date field; \(date.rawValue) is \(Planner.kindName(date))", grouping.field.span)
    }
    plan.date = date
    plan.unit = grouping.period.flatMap { Period.Unit(rawValue: $0.text.lowercased()) } ?? .month
    return plan
  }
}
