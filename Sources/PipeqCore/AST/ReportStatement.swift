/// A pipeline-health report as written: `board sales`, `funnel last quarter strict`,
/// `health this month`, `team`, `stale where owner = bob`, `trend value by month`.
public struct ReportStatement: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable { case board, funnel, health, team, stale, trend }

  public var kind: Kind
  public var pipeline: Name?
  public var period: PeriodExpr?
  public var filter: FilterExpr?
  /// `funnel … strict`: only stages a deal actually entered count as reached.
  public var strict = false
  /// `trend FIELD by UNIT(DATE-FIELD)`: the field (`count` for deals) and its grouping.
  public var trendField: Name?
  public var trendGrouping: Grouping?
  /// `as of DATE`: the pipeline as it stood that day.
  public var asOf: ValueExpr?
  /// `stale … limit N`: how many deals to list (the total is always given).
  public var limit: Int?

  public init(kind: Kind) { self.kind = kind }
}
