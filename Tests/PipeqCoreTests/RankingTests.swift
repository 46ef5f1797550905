import PipeqCore
import Testing

/// `count by account order by count desc limit 5`: the groups of a count or aggregate
/// in the order of one column, the first N, with how many there were.
@Suite struct RankingTests {
  static func table(_ statement: String, _ database: Database) throws -> ResultTable {
    guard case .table(let table) = try Fixture.run(statement, on: database).result else { throw Failure.notATable }
    return table
  }

  @Test func topAccountsByCount() throws {
    let database = Fixture.database()
    let top = try Self.table("count by account order by count desc limit 2", database)
    // Acme has two deals; every other account one, so the second is the first of those by name.
    #expect(top.rows.map { $0[0] } == [.text("Acme"), .text("Globex")])
    #expect(top.rows.map { $0[1] } == [.integer(2), .integer(1)])
    #expect(top.totalRows == 7)
    #expect(top.countLine == "(2 of 7 groups)\n")
  }

  @Test func topOwnersByWonValue() throws {
    let database = Fixture.database()
    // Won deals: only deal 3 (Bob, 20,000 EUR); open deals are out of the filter.
    let top = try Self.table("sum value by owner where status = open order by sum desc limit 3", database)
    #expect(top.rows.map { $0[0] } == [.text("carol"), .text("alice"), .text("bob")])
    #expect(top.rows.map { $0[1] } == [.money(250_000_00), .money(121_000_00), .money(50_000_00)])
    // Deal 5 (open) has no owner and no value: its group sums to 0 and comes first.
    let ascending = try Self.table("sum value by owner where status = open order by sum limit 2", database)
    #expect(ascending.rows.map { $0[1] } == [.money(0), .money(3_000_00)])
  }

  @Test func stagesRankInPipelineOrder() throws {
    let database = Fixture.database()
    let forward = try Self.table("count by stage", database).rows.map { $0[0] }
    let backward = try Self.table("count by stage order by stage desc", database).rows.map { $0[0] }
    #expect(backward == forward.reversed())
  }

  @Test func aColumnThatIsNotThereIsRefusedWithACaret() {
    let database = Fixture.database()
    Fixture.expectRefusals(
      [
        ("count by account order by value", "'value' is not a column of this result", 26, 5),
        ("count by account order by count, account", "groups are ranked by one column", 33, 7),
        ("count by account order by value", "order by count or account", 26, 5),
      ], in: database)
  }

  @Test func explainSaysTheRanking() throws {
    let database = Fixture.database()
    guard
      case .plan(let text) = try Fixture.run("explain count by owner order by count desc limit 3", on: database).result
    else { throw Failure.notATable }
    #expect(text.contains("groups ordered by count desc, the first 3"))
  }

  enum Failure: Error { case notATable }
}
