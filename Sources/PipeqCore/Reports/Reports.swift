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

  /// A footnote wrapped to the width, so it never runs past the screen's edge.
  static func note(_ text: String, width: Int) -> String {
    text.wrapped(to: max(20, width)).map { $0 + "\n" }.joined()
  }

  /// The currency most deals are in: what a report orders by when it cannot convert.
  static func mainCurrency(_ table: DealTable) -> String? {
    let column = table.textColumn(.currency)
    var counts = [Int](repeating: 0, count: column.dictionary.count)
    for code in column.codes { counts[Int(code)] += 1 }
    guard let top = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[top] > 0 else { return nil }
    let name = column.dictionary.strings[top].uppercased()
    return name.isEmpty ? nil : name
  }

  /// Each row's currency code as text, indexed by dictionary code.
  static func currencyNames(_ table: DealTable) -> [String] {
    table.textColumn(.currency).dictionary.strings.map { $0.uppercased() }
  }
}
