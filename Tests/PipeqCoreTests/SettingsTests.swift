import Foundation
import PipeqCore
import Testing

/// Base currency, rates, stage probabilities and rotting days: kept in the store,
/// journaled and undoable, checked with a caret, and used by the reports.
@Suite struct SettingsTests {
  @Test func ratesConvertTotalsIntoTheBaseCurrency() throws {
    let database = Fixture.database()
    try Fixture.run("move to won where id = 1", on: database)
    try Fixture.run(".currency eur", on: database)
    try Fixture.run(".rate USD 0.5", on: database)
    // Won: 20000 EUR + 1000 USD at 0.5.
    let won = try BoardTests.rows("board", in: database).filter { $0[0] == .text("won") }
    #expect(won == [[.text("won"), .integer(2), .money(2_050_000), .text("EUR")]])
    #expect(try Fixture.reportResult("board", in: database).text(100).contains("values converted to EUR"))
    // Without the rate the currencies are apart again.
    try Fixture.run("undo", on: database)
    #expect(try BoardTests.rows("board", in: database).filter { $0[0] == .text("won") }.count == 2)
  }

  @Test func theLargestDealsRankByConvertedValue() throws {
    let database = Fixture.database()
    try Fixture.run("move to won where id = 1", on: database)
    try Fixture.run(".currency eur", on: database)
    try Fixture.run(".rate USD 0.5", on: database)
    // Won: 20000 EUR before 1000 USD (500 EUR); at 30 EUR a dollar, 1000 USD comes first.
    #expect(
      try Fixture.reportResult("board", in: database).json.contains(
        "\"top\": [{\"id\": 3, \"name\": \"Gamma expansion\", \"value\": 20000, \"currency\": \"EUR\"}, {\"id\": 1,"))
    try Fixture.run(".rate USD 30", on: database)
    #expect(
      try Fixture.reportResult("board", in: database).json.contains("\"top\": [{\"id\": 1, \"name\": \"Alpha renewal\"")
    )
  }

  @Test func settingsAreNotSavedQueriesButAreExported() throws {
    let database = Fixture.database()
    try Fixture.run("define hot as value > 100k", on: database)
    try Fixture.run(".currency USD", on: database)
    try Fixture.run(".rate EUR 1.1", on: database)
    try Fixture.run(".probability proposal 55%", on: database)
    try Fixture.run(".rotting qualified 14d", on: database)
    guard case .table(let defs) = try Fixture.run("defs", on: database).result else { throw Stop() }
    #expect(defs.rows.map { $0[0] } == [.text("hot")])
    let path = SnapshotTests.temporaryPath() + ".pq"
    try Fixture.run(".export-defs \(path)", on: database)
    #expect(
      try String(contentsOfFile: path, encoding: .utf8)
        == "# pipeq saved queries\ndefine hot as value > 100k\n.currency USD\n.rate EUR 1.1\nset stage qualified rotting 14d in sales\nset stage proposal probability 55% in sales\n"
    )
    guard case .table(let probabilities) = try Fixture.run(".probability", on: database).result else { throw Stop() }
    #expect(probabilities.rows.contains([.text("sales"), .text("proposal"), .text("55%"), .text("set")]))
    #expect(probabilities.rows.contains([.text("sales"), .text("qualified"), .text("40%"), .text("default")]))
  }

  struct Stop: Error {}

  @Test(arguments: [
    (".rate USD abc", "a rate is a positive number", 10, 3),
    (".rate USD", ".rate needs a currency and a rate", 0, 5),
    (".currency 12", "a currency is a code such as EUR or USD", 10, 2),
    (".probability proposl 50%", "unknown stage 'proposl'", 13, 7),
    (".probability proposal 150%", "a probability is a percentage from 0% to 100%", 22, 4),
    (".rotting lead soon", "rotting takes a number of days", 14, 4),
  ])
  func mistakesPointAtTheirWord(command: String, message: String, column: Int, width: Int) {
    let rendered = Fixture.error(command)
    #expect(rendered.contains(message), "\(rendered)")
    #expect(rendered.contains(Fixture.caretLine(column: column, width: width)), "\(rendered)")
  }
}
