/// Runs a report plan. Each report reads the store's columns through the filter's
/// bitmap, as aggregates do; none builds a value per deal.
public enum Reports {
  public static func run(_ plan: ReportPlan, on table: DealTable, today: Day) -> ReportResult {
    let settings = table.settings
    let filter = plan.filter
    switch plan.report {
    // As of a day, the board and the funnel are the pipeline as it stood (an `(earlier
    // stage)` included, the history up to that day).
    case .board(let pipeline, let asOf):
      return Board.run(pipeline: pipeline, asOf: asOf, filter, asOf.map(table.asOf) ?? table, settings)
    case .funnel(let funnel): return Funnel.run(funnel, filter, funnel.asOf.map(table.asOf) ?? table)
    case .health(let period): return Health.run(period: period, filter, table, today, settings)
    case .team(let period): return Team.run(period: period, filter, table, today, settings)
    case .stale(let limit): return Stale.run(limit: limit, filter, table, today, settings)
    case .trend(let trend): return Trend.run(trend, filter, table, today, settings)
    }
  }

  /// Each row's currency code as text, indexed by dictionary code.
  static func currencyNames(_ table: DealTable) -> [String] {
    table.textColumn(.currency).dictionary.strings.map { $0.uppercased() }
  }
}
