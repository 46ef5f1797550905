import PipeqCore
import Testing

/// `health` on the fixture (today 2026-06-15), every figure worked out by hand from
/// Fixture.csv: this quarter is 2026-04-01 to 06-30, the previous one January to March.
@Suite struct HealthTests {
  static func figures(_ text: String, in database: Database = Fixture.database()) throws -> [String: [Value]] {
    let rows = try Fixture.reportResult(text, in: database).table.rows
    return Dictionary(uniqueKeysWithValues: rows.map { (ValueFormatter.plain($0[0]), Array($0.dropFirst())) })
  }

  @Test func thisQuarterAgainstTheOneBefore() throws {
    let figures = try Self.figures("health this quarter")
    func check(_ key: String, _ current: String, _ previous: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
      #expect(figures[key]?[0] == .text(current), "\(key) now", sourceLocation: sourceLocation)
      #expect(figures[key]?[1] == .text(previous), "\(key) before", sourceLocation: sourceLocation)
    }
    // Deal 3 won on 05-01 (20000 EUR); deal 4 lost on 01-15.
    check("revenue_won", "20000", "0")
    check("won_count", "1", "0")
    check("lost_count", "0", "1")
    check("win_rate", "1.0", "0.0")
    check("avg_won_value", "20000", "null")
    // Deal 3: created 2025-10-01, won 2026-05-01: 212 days.
    check("avg_cycle_days", "212", "null")
    check("median_cycle_days", "212", "null")
    // Created in the quarter: deal 8 (250000); before: deals 1, 5, 6, 7 (1000 + 120000 + 3000).
    check("new_count", "1", "4")
    check("new_value", "250000", "124000")
    // Open now: 1, 2, 5, 6, 7, 8. Open on 03-31, from the history: 1, 2 and 7 (the others
    // had not entered their stage yet).
    check("open_count", "6", "3")
    check("open_value", "424000", "54000")
    // 1000×10% + 50000×40% + 120000×10% + 3000×60% (pilot: the last of partners' two
    // open stages) + 250000×20%; before: 100 + 20000 + 1800.
    check("weighted_value", "83900", "21900")
    // Qualified or later and open: deals 2, 5 (sales) and 7 (partners' later half):
    // 3 × 100% × 20000 ÷ 212 days.
    check("velocity_per_day", "283.02", "null")
    #expect(figures["new_count"]?[2] == .number(-0.75))
    #expect(figures["open_count"]?[2] == .number(1))
    #expect(figures["revenue_won"]?[2] == .empty)
  }

  @Test func jsonHasTheIssuesKeysAndThePreviousPeriod() throws {
    let json = try Fixture.reportResult("health this quarter").json
    for key in [
      "revenue_won", "open_count", "open_value", "weighted_value", "new_count", "new_value", "won_count", "lost_count",
      "win_rate", "avg_won_value", "avg_cycle_days", "median_cycle_days", "velocity_per_day", "top_accounts",
      "top_sources", "top_lost_reasons", "previous",
    ] {
      #expect(json.contains("\"\(key)\": "), "\(key)")
    }
    #expect(json.contains("\"top_accounts\": [{\"account\": \"STRASSE AG\", \"revenue_won\": 20000}]"))
    #expect(json.contains("\"top_lost_reasons\": [{\"reason\": \"no budget\", \"count\": 1}]"))
    #expect(json.contains("\"first_day\": \"2026-01-01\", \"last_day\": \"2026-03-31\""))
  }

  @Test func theTextShowsBothPeriodsAndTheChange() throws {
    let text = try Fixture.reportResult("health this quarter").text(100)
    #expect(
      text.hasPrefix(
        "pipeline health: this quarter (2026-04-01 to 2026-06-30)\ncompared with 2026-01-01 to 2026-03-31\n"))
    #expect(text.contains("new deals                        1          4     −75%\n"), "\(text)")
    #expect(text.contains("open pipeline             424k USD    54k USD  +685.2%\n"))
    #expect(text.contains("top accounts by revenue won\n  STRASSE AG"))
  }

  @Test func currenciesStayApartWithoutRates() throws {
    let database = Fixture.database()
    try Fixture.run("close won where id = 1", on: database)
    // Won this quarter: 20000 EUR and 1000 USD.
    let figures = try Self.figures("health this quarter", in: database)
    #expect(figures["revenue_won"]?[0] == .text("{\"EUR\": 20000, \"USD\": 1000}"))
    #expect(try Fixture.reportResult("health this quarter", in: database).text(100).contains("set .currency and .rate"))
    try Fixture.run(".currency EUR", on: database)
    try Fixture.run(".rate USD 0.9", on: database)
    #expect(try Self.figures("health this quarter", in: database)["revenue_won"]?[0] == .text("20900"))
    #expect(
      try Fixture.reportResult("health this quarter", in: database).text(100).contains(
        "money converted to EUR at the rates set with .rate"))
  }
}
