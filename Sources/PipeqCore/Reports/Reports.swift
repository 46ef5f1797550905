/// Runs a report plan. Each report reads the store's columns through the filter's
/// bitmap, as aggregates do; none builds a value per deal.
public enum Reports {
  public static func run(_ plan: ReportPlan, on table: DealTable, today: Day) -> ReportResult {
    let settings = table.settings
    switch plan.kind {
    // As of a day, the board is the pipeline as it stood (an `(earlier stage)` included).
    case .board: return Board.run(plan, plan.asOf.map(table.asOf) ?? table, settings)
    case .health: return Health.run(plan, table, today, settings)
    case .stale: return Stale.run(plan, table, today, settings)
    case .team: return Team.run(plan, table, today, settings)
    case .funnel: return Funnel.run(plan, table)
    case .trend: return Trend.run(plan, table, today, settings)
    }
  }

  /// Each row's currency code as text, indexed by dictionary code.
  static func currencyNames(_ table: DealTable) -> [String] {
    table.textColumn(.currency).dictionary.strings.map { $0.uppercased() }
  }
}
