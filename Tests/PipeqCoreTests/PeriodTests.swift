import PipeqCore
import Testing

/// Periods are resolved against the session's date; each expected range below is worked
/// out by hand from a calendar.
@Suite struct PeriodTests {
  /// 2026-11-27 is a Friday.
  static let friday = Day(iso: "2026-11-27")!

  static func resolve(_ text: String, today: Day = friday) throws -> Period {
    let source = SourceText(name: "<test>", text: "count where created in \(text)")
    guard case .count(let filter?, _) = try Parser.parse(source), case .test(let test) = filter,
      case .period(let period, _) = test.kind
    else { throw NotAPeriod() }
    return try Planner(table: DealTable(), today: today, source: source).period(period)
  }

  struct NotAPeriod: Error {}

  @Test(arguments: [
    ("this week", "2026-11-23", "2026-11-29"),
    ("last week", "2026-11-16", "2026-11-22"),
    ("this month", "2026-11-01", "2026-11-30"),
    ("last month", "2026-10-01", "2026-10-31"),
    ("this quarter", "2026-10-01", "2026-12-31"),
    ("last quarter", "2026-07-01", "2026-09-30"),
    ("this year", "2026-01-01", "2026-12-31"),
    ("LAST Year", "2025-01-01", "2025-12-31"),
    ("last 90d", "2026-08-29", "2026-11-27"),
    ("last 2w", "2026-11-13", "2026-11-27"),
    ("last 6mo", "2026-05-27", "2026-11-27"),
    ("2026-q1", "2026-01-01", "2026-03-31"),
    ("2025-Q4", "2025-10-01", "2025-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2026", "2026-01-01", "2026-12-31"),
    ("between 2026-03-01 and 2026-03-05", "2026-03-01", "2026-03-05"),
    ("between 2026-11-01 and today", "2026-11-01", "2026-11-27"),
  ])
  func resolvesToTheseDays(text: String, first: String, last: String) throws {
    let period = try Self.resolve(text)
    #expect(period.first == Day(iso: first)!)
    #expect(period.last == Day(iso: last)!)
    #expect(period.name == text)
  }

  @Test func aWeekRunsMondayToSundayAcrossTheNewYear() throws {
    let period = try Self.resolve("this week", today: Day(iso: "2027-01-01")!)
    #expect(period.first == Day(iso: "2026-12-28")!)
    #expect(period.last == Day(iso: "2027-01-03")!)
  }

  /// Reports compare a period with the one before it of the same kind.
  @Test(arguments: [
    ("last quarter", "2026-04-01", "2026-06-30"),
    ("this month", "2026-10-01", "2026-10-31"),
    ("2024-03", "2024-02-01", "2024-02-29"),
    ("this week", "2026-11-16", "2026-11-22"),
    ("2026", "2025-01-01", "2025-12-31"),
    // 91 days (2026-08-29 through 2026-11-27), then the 91 days before them.
    ("last 90d", "2026-05-30", "2026-08-28"),
    ("between 2026-03-01 and 2026-03-05", "2026-02-24", "2026-02-28"),
  ])
  func thePeriodBefore(text: String, first: String, last: String) throws {
    let previous = try Self.resolve(text).previous
    #expect(previous.first == Day(iso: first)!)
    #expect(previous.last == Day(iso: last)!)
  }

  /// On the fixture (today 2026-06-15): both ends of a period count; `not in` is the
  /// complement, so deals with no date are in it.
  @Test(arguments: [
    ("created in last quarter", [1, 5, 6, 7]),
    ("created in this quarter", [8]),
    ("created in 2025-q4", [2, 3]),
    ("created in 2025-09", [4]),
    ("created in 2025", [2, 3, 4]),
    ("created not in 2025", [1, 5, 6, 7, 8]),
    ("closed in last 6mo", [3, 4]),
    ("closed not in this month", [1, 2, 3, 4, 5, 6, 7, 8]),
    ("idle in last 2w", [1, 8]),
    ("created in between 2026-02-01 and 2026-03-01", [5, 6, 7]),
    ("created in last 90d", [8]),
    ("created in last quarter and stage = lead", [1, 6]),
  ])
  func filtersByPeriod(filter: String, ids: [Int64]) {
    #expect(Fixture.ids(where: filter) == ids)
  }

  @Test(arguments: [
    ("count where created in 2026-q5", "a year has quarters q1 to q4", 23, 7),
    ("count where created in 2026-13", "2026-13 is not a month: months are 01 to 12", 23, 7),
    ("count where owner in last month", "a period needs a date; owner is text", 12, 5),
    ("count where created in next month", "found 'next'", 23, 4),
    ("count where created in last fortnight", "week, month, quarter or year after last", 28, 9),
    ("count where stage in lead", "a list of values, or a period", 21, 4),
    ("count where created in between today and 2026-01-01", "between needs the earlier date first", 23, 28),
  ])
  func mistakesPointAtTheirToken(statement: String, message: String, column: Int, width: Int) {
    let rendered = Fixture.error(statement)
    #expect(rendered.contains(message), "\(rendered)")
    #expect(rendered.contains(Fixture.caretLine(column: column, width: width)), "\(rendered)")
  }
}
