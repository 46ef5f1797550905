import PipeqCore
import Testing

/// Funnels on the fixture's sales pipeline (deals 1 lead, 2 qualified, 3 won, 4 lost,
/// 5 proposal, 8 contacted), worked out by hand.
@Suite struct FunnelTests {
  static func reached(_ text: String, in database: Database = Fixture.database()) throws -> [Int64] {
    try Fixture.reportResult(text, in: database).table.rows.map { row in
      if case .integer(let n) = row[1] { return n }
      return -1
    }
  }

  @Test func skippedStagesCountAsPassed() throws {
    // lead: all six; contacted: 2, 3, 5, 8; qualified: 2, 3, 5; proposal: 3, 5; won: 3.
    // Deal 4 was imported lost with no earlier stage known: it reached only the first.
    #expect(try Self.reached("funnel") == [6, 4, 3, 2, 1])
    let table = try Fixture.reportResult("funnel").table
    #expect(table.columns == ["stage", "reached", "of_previous", "of_first"])
    #expect(table.rows[1] == [.text("contacted"), .integer(4), .number(0.667), .number(0.667)])
    #expect(try Self.reached("funnel partners") == [2, 1, 0])
  }

  @Test func aLostDealReachedItsLastOpenStage() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    try Fixture.run("close lost where id = 2", on: database)
    #expect(try Self.reached("funnel", in: database) == [6, 4, 3, 3, 1])
  }

  @Test func asOfADayCountsTheHistoryUpToIt() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    try Fixture.run("close lost where id = 2", on: database)
    // Today's moves are after yesterday: the funnel then is the fixture's own.
    #expect(try Self.reached("funnel as of 2026-06-14", in: database) == [6, 4, 3, 2, 1])
    #expect(try Self.reached("funnel strict as of today - 1d", in: database) == [6, 1, 1, 1, 1])
    #expect(try Self.reached("funnel as of today", in: database) == [6, 4, 3, 3, 1])
  }

  @Test func strictCountsOnlyStagesEntered() throws {
    #expect(try Self.reached("funnel strict") == [6, 1, 1, 1, 1])
    let database = Fixture.database()
    try Fixture.run("move to qualified where id = 1", on: database)
    // Deal 1 entered lead (import) and qualified (the move), never contacted.
    #expect(try Self.reached("funnel --strict where id = 1", in: database) == [1, 0, 1, 0, 0])
  }

  @Test func theCohortIsTheDealsCreatedInThePeriod() throws {
    // Created in 2026: deals 1, 5 and 8.
    #expect(try Self.reached("funnel this year") == [3, 2, 1, 1, 0])
    let json = try Fixture.reportResult("funnel this year").json
    #expect(
      json.hasPrefix(
        "{\"report\": \"funnel\", \"pipeline\": \"sales\", \"period\": \"this year\", \"strict\": false, \"stages\": [{\"stage\": \"lead\", \"reached\": 3, \"of_previous\": null, \"of_first\": 1}"
      ))
    let text = try Fixture.reportResult("funnel this year").text(80)
    #expect(text.contains("contacted  "))
    #expect(text.contains("2  66.7% of lead\n"))
  }
}
