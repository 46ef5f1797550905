import PipeqCore
import Testing

/// Trends on the fixture (today 2026-06-15), by hand from Fixture.csv.
@Suite struct TrendTests {
  static func rows(_ text: String) throws -> [[Value]] { try Fixture.reportResult(text).table.rows }

  @Test func countsPerMonthOfCreation() throws {
    // Created 2026-01-10 (deal 1), 02-01 (6 and 7), 03-01 (5).
    #expect(
      try Self.rows("trend count by month 2026-q1") == [
        [.text("2026-01"), .number(1)], [.text("2026-02"), .number(2)], [.text("2026-03"), .number(1)],
      ])
    // By default the last twelve months up to this one, empty ones as zero.
    let year = try Self.rows("trend count by month")
    #expect(year.map { $0[0] }.first == .text("2025-07") && year.map { $0[0] }.last == .text("2026-06"))
    #expect(year.count == 12)
    #expect(year[2] == [.text("2025-09"), .number(1)])
    #expect(year[1] == [.text("2025-08"), .number(0)])
  }

  @Test func moneyStaysPerCurrencyAndOtherNumbersAverage() throws {
    // 2025: deal 4 (09-01, 7000 USD) in q3; deals 3 (10-01, 20000 EUR) and 2 (12-01,
    // 50000 USD) in q4.
    let table = try Fixture.reportResult("trend value by quarter 2025").table
    #expect(table.columns == ["quarter", "sum_value_(EUR)", "sum_value_(USD)"])
    #expect(table.rows[2] == [.text("2025-q3"), .number(0), .number(7_000)])
    #expect(table.rows[3] == [.text("2025-q4"), .number(20_000), .number(50_000)])
    // Idle days of the deals created each month: 5 (deal 1); 91 and 90 (6 and 7); deal 5
    // has no interaction.
    #expect(
      try Self.rows("trend idle by month(created) 2026-q1") == [
        [.text("2026-01"), .number(5)], [.text("2026-02"), .number(90.5)], [.text("2026-03"), .empty],
      ])
  }

  @Test func theChartHasASparklineAndBars() throws {
    let text = try Fixture.reportResult("trend count by month 2026-q1").text(60)
    #expect(text.hasPrefix("trend by month of created: 2026-01-01 to 2026-03-31\n\ncount  ▅█▅\n"), "\(text)")
    #expect(text.contains("2026-02  " + String(repeating: "█", count: 46) + "  2\n"), "\(text)")
  }

  @Test func mistakesPointAtTheirToken() {
    #expect(Fixture.error("trend owner by month").contains("trend needs a number field or count; owner is text"))
    #expect(Fixture.error("trend value by day").contains("trends go by week, month, quarter or year"))
    #expect(Fixture.error("trend value by month(owner)").contains("trends follow a date field; owner is text"))
  }
}
