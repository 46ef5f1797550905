/// A pipeline-health report as written: `board sales`, `funnel last quarter strict`,
/// `health this month`, `team`, `stale where owner = bob`, `trend value by month`.
/// Each report carries only the clauses it takes; every one takes `where`.
public struct ReportStatement: Sendable, Equatable {
  public enum Report: Sendable, Equatable {
    /// `board [PIPELINE] [as of DATE]`.
    case board(pipeline: Name?, asOf: ValueExpr?)
    /// `funnel [PIPELINE] [PERIOD] [strict] [as of DATE]`; `strict` counts only the
    /// stages a deal actually entered as reached.
    case funnel(pipeline: Name?, period: PeriodExpr?, strict: Bool, asOf: ValueExpr?)
    /// `health [PERIOD]`.
    case health(period: PeriodExpr?)
    /// `team [PERIOD]`.
    case team(period: PeriodExpr?)
    /// `stale [limit N]`: how many deals to list (the total is always given).
    case stale(limit: Int?)
    /// `trend FIELD by UNIT(DATE-FIELD) [PERIOD]`: the field (`count` for deals) and its
    /// grouping.
    case trend(field: Name, grouping: Grouping, period: PeriodExpr?)
  }

  /// The reports by their keyword, as `.help` and completion list them.
  public enum Kind: String, Sendable, CaseIterable { case board, funnel, health, team, stale, trend }

  public var report: Report
  public var filter: FilterExpr?

  public init(_ report: Report, filter: FilterExpr? = nil) {
    self.report = report
    self.filter = filter
  }

  public var kind: Kind {
    switch report {
    case .board: return .board
    case .funnel: return .funnel
    case .health: return .health
    case .team: return .team
    case .stale: return .stale
    case .trend: return .trend
    }
  }

  /// The report with its period and day expressions rewritten (a saved statement's
  /// parameters filled in).
  func mapping(
    periods: (PeriodExpr) throws(DiagnosticError) -> PeriodExpr, days: (ValueExpr) throws(DiagnosticError) -> ValueExpr
  ) throws(DiagnosticError) -> Report {
    func period(_ expr: PeriodExpr?) throws(DiagnosticError) -> PeriodExpr? {
      guard let expr else { return nil }
      return try periods(expr)
    }
    func day(_ expr: ValueExpr?) throws(DiagnosticError) -> ValueExpr? {
      guard let expr else { return nil }
      return try days(expr)
    }
    switch report {
    case .board(let pipeline, let asOf): return .board(pipeline: pipeline, asOf: try day(asOf))
    case .funnel(let pipeline, let p, let strict, let asOf):
      return .funnel(pipeline: pipeline, period: try period(p), strict: strict, asOf: try day(asOf))
    case .health(let p): return .health(period: try period(p))
    case .team(let p): return .team(period: try period(p))
    case .stale: return report
    case .trend(let field, let grouping, let p): return .trend(field: field, grouping: grouping, period: try period(p))
    }
  }
}
