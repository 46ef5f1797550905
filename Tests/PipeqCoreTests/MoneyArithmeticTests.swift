import Foundation
import PipeqCore
import Testing

/// `set` computes money in decimal and rounds to the cent half away from zero.
@Suite struct MoneyArithmeticTests {
  @Test(arguments: [
    ("66097.65", "value * 1.1", Int64(7_270_742)), ("0.05", "value / 2", Int64(3)), ("-0.05", "value / 2", Int64(-3)),
    ("100", "value / 3", Int64(3_333)), ("19.99", "value * 3", Int64(5_997)), ("1000", "value - 0.005", Int64(100_000)),
  ])
  func moneyIsExactToTheCent(start: String, expression: String, cents: Int64) throws {
    let database = Fixture.database()
    try Fixture.run("set value = \(start) where id = 1", on: database)
    try Fixture.run("set value = \(expression) where id = 1", on: database)
    #expect(database.table.value[database.table.row(of: 1)!] == cents)
  }
}

@Suite struct StageOrderingTests {
  @Test func orderByStageFollowsThePipeline() throws {
    guard
      case .table(let table) = try Fixture.run(
        "list id, stage where pipeline = sales order by stage", on: Fixture.database()
      ).result
    else {
      Issue.record("not a table")
      return
    }
    // lead, contacted, qualified, proposal, won, lost — not alphabetical.
    #expect(table.rows.map { $0[0] } == [.integer(1), .integer(8), .integer(2), .integer(5), .integer(3), .integer(4)])
  }
}

@Suite struct FoldedGroupTests {
  @Test func groupsFoldCaseAndNameTheEmptyGroup() throws {
    let database = Fixture.database()
    // The fixture's owners: alice (2), bob, Bob, carol (2), dave, and one without.
    guard case .table(let table) = try Fixture.run("count by owner", on: database).result else {
      Issue.record("not a table")
      return
    }
    let counts = Dictionary(uniqueKeysWithValues: table.rows.map { (ValueFormatter.plain($0[0]), $0[1]) })
    #expect(counts["bob"] == .integer(2) || counts["Bob"] == .integer(2), "\(counts)")
    #expect(counts[""] == .integer(1))
    #expect(table.rows.count == 5)
    // People read the empty group as (none); CSV keeps it empty.
    #expect(TableRenderer().render(table).split(separator: "\n").contains { $0.hasPrefix("(none) ") })
    #expect(CSVWriter.render(table).contains("\r\n,1\r\n"))
    let sums = try Fixture.table("sum value by owner, stage", in: database)
    #expect(TableRenderer().render(sums).contains("(none)"))
  }
}

@Suite struct EarlierStageTests {
  /// An imported deal's history starts at its stage_entered; before that, back to its
  /// creation, it was open in a stage nobody recorded.
  @Test func aDealThatExistedBeforeItsHistoryWasOpenInAnEarlierStage() throws {
    let database = Database()
    let csv =
      "name,stage,created,stage_entered,closed\nA,qualified,2026-01-01,2026-05-01,\nB,lead,2026-04-10,2026-04-10,\nC,won,2025-12-01,2026-02-01,2026-02-01\n"
    let (mutation, _) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array(csv.utf8), fileName: "a.csv", statement: ".import a.csv")
    try database.commit(mutation)
    func count(_ text: String) throws -> Value {
      guard case .table(let table) = try Fixture.run(text, on: database).result else { return .empty }
      return table.rows[0][0]
    }
    #expect(try count("count where status = open as of 2026-03-01") == .integer(1))
    #expect(try count("count where status = won as of 2026-03-01") == .integer(1))
    #expect(try count("count where status = open as of 2026-01-15") == .integer(2))
    #expect(try count("count where stage = qualified as of 2026-03-01") == .integer(0))
    guard case .table(let byStage) = try Fixture.run("count by stage as of 2026-03-01", on: database).result else {
      Issue.record("not a table")
      return
    }
    #expect(byStage.rows.first == [.text("(earlier stage)"), .integer(1)])
    let board = try Fixture.reportResult("board as of 2026-03-01", in: database)
    #expect(board.table.rows.first?.first == .text("(earlier stage)"))
  }
}
