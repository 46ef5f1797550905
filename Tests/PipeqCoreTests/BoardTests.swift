import PipeqCore
import Testing

/// The board on the fixture (money in cents): one deal per sales stage, worked out from
/// Fixture.csv.
@Suite struct BoardTests {
  static func rows(_ text: String, in database: Database = Fixture.database()) throws -> [[Value]] {
    try Fixture.reportResult(text, in: database).table.rows
  }

  @Test func aColumnPerStageWithCountAndTotal() throws {
    #expect(
      try Self.rows("board") == [
        [.text("lead"), .integer(1), .money(100_000), .text("USD")],
        [.text("contacted"), .integer(1), .money(25_000_000), .text("USD")],
        [.text("qualified"), .integer(1), .money(5_000_000), .text("USD")],
        // Deal 5 has no value.
        [.text("proposal"), .integer(1), .money(0), .text("")],
        [.text("won"), .integer(1), .money(2_000_000), .text("EUR")],
        [.text("lost"), .integer(1), .money(700_000), .text("USD")],
      ])
    #expect(
      try Self.rows("board partners") == [
        [.text("lead"), .integer(1), .money(12_000_000), .text("USD")],
        [.text("pilot"), .integer(1), .money(300_000), .text("USD")],
        [.text("won"), .integer(0), .money(0), .text("")], [.text("lost"), .integer(0), .money(0), .text("")],
      ])
    let carol = try Self.rows("board where owner = carol")
    #expect(carol.map { $0[1] } == [0, 1, 0, 0, 0, 1].map { Value.integer($0) })
  }

  @Test func currenciesAreNotAddedWithoutARate() throws {
    let database = Fixture.database()
    try Fixture.run("move to won where id = 1", on: database)
    // Won now holds 1000 USD and 20000 EUR: one row per currency.
    let won = try Self.rows("board", in: database).filter { $0[0] == .text("won") }
    #expect(
      won == [
        [.text("won"), .integer(2), .money(2_000_000), .text("EUR")],
        [.text("won"), .integer(2), .money(100_000), .text("USD")],
      ])
    let text = try Fixture.reportResult("board", in: database).text(100)
    #expect(text.contains("set .currency and .rate to convert"))
  }

  @Test func theTextFitsTheWidthAndListsTheLargestDeals() throws {
    let database = Fixture.database()
    try Fixture.run("move to lead where id in (2, 8)", on: database)
    let text = try Fixture.reportResult("board", in: database).text(80)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { String($0).displayWidth <= 80 }, "\(text)")
    #expect(lines[2].hasPrefix("lead "))
    #expect(lines[3].hasPrefix("3 deals"))
    #expect(lines[4].hasPrefix("301k USD"))
    // Largest first: Theta (250000), Beta (50000), Alpha (1000).
    #expect(lines[6].hasPrefix("Theta, the…") && lines[6].contains("250k"), "\(lines[6])")
    #expect(lines[7].hasPrefix("Beta pilot") && lines[7].contains("50k"))
    #expect(lines[8].hasPrefix("Alpha ren…") && lines[8].contains("1,000"))
    #expect(text.contains("other pipelines: partners"))
  }

  @Test func asOfADayReadsTheStageHistory() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    #expect(try Self.rows("board", in: database)[2][1] == .integer(0))
    // On 2026-03-01 deals 1 (lead since 01-10), 2 (qualified since 02-01) and 4 (lost
    // since 01-15) are in the history; deal 2 was still qualified. Deals 3 (created
    // 2025-10-01) and 5 (created 03-01) existed, in a stage the history starts after.
    let then = try Self.rows("board as of 2026-03-01", in: database)
    #expect(then.map { $0[1] } == [2, 1, 0, 1, 0, 0, 1].map { Value.integer($0) })
    #expect(then[0][0] == .text("(earlier stage)"))
    #expect(try Fixture.reportResult("board as of 2026-03-01", in: database).json.contains("\"as_of\": \"2026-03-01\""))
  }

  @Test func jsonHasEachStage() throws {
    let json = try Fixture.reportResult("board").json
    #expect(json.hasPrefix("{\"report\": \"board\", \"pipeline\": \"sales\", \"currency\": null, \"stages\": ["))
    #expect(
      json.contains(
        "{\"stage\": \"contacted\", \"status\": \"open\", \"count\": 1, \"value\": 250000, \"top\": [{\"id\": 8, \"name\": \"Theta, the big one\", \"value\": 250000, \"currency\": \"USD\"}]}"
      ))
  }

  @Test func anUnknownPipelineIsCaught() {
    let error = Fixture.error("board partner")
    #expect(error.contains("unknown pipeline 'partner'"))
    #expect(error.contains("did you mean 'partners'?"))
    #expect(error.contains(Fixture.caretLine(column: 6, width: 7)))
  }
}
