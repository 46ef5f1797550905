import PipeqCore
import Testing

/// `stale` and `team` on the fixture (today 2026-06-15, rotting limit 30 days unless set),
/// worked out by hand. Idle = days since the later of last_interaction and stage_entered.
@Suite struct StaleAndTeamTests {
  @Test func staleListsRottingDealsWorstFirst() throws {
    // Deal 2: since 03-01, 106 days (76 over); deal 7: since 03-17, 90 (60 over); deal 6:
    // entered 04-01 after its last interaction, 75 (45 over). Deals 1, 5, 8 are recent;
    // 3 and 4 are closed.
    let table = try Fixture.reportResult("stale").table
    #expect(table.rows.map { $0[0] } == [2, 7, 6].map { Value.integer($0) })
    #expect(table.rows[0].suffix(3) == [.integer(106), .integer(30), .integer(76)])
    let database = Fixture.database()
    try Fixture.run(".rotting pilot 100d", on: database)
    #expect(
      try Fixture.reportResult("stale where owner != carol", in: database).table.rows.map { $0[0] } == [
        .integer(2), .integer(6),
      ])
    #expect(
      try Fixture.reportResult("stale where id = 1").text(80) == "no deal is idle past its stage's rotting limit\n")
    // A limit lists the worst; the total is still given.
    let two = try Fixture.reportResult("stale limit 2")
    #expect(two.table.rows.map { $0[0] } == [.integer(2), .integer(7)])
    #expect(two.text(100).hasSuffix("(2 of 3 rotting deals)\n"))
    #expect(two.json.hasPrefix("{\"report\": \"stale\", \"total\": 3, \"shown\": 2, \"deals\": [\n  {\"id\": 2, "))
  }

  @Test func teamFiguresPerOwner() throws {
    let report = try Fixture.reportResult("team this quarter")
    let table = report.table
    // People read the deals without an owner as (none).
    #expect(report.text(100).split(separator: "\n").contains { $0.hasPrefix("(none) ") })
    #expect(
      table.columns == [
        "owner", "open_count", "open_value", "revenue_won", "won_count", "lost_count", "win_rate", "abandoned",
      ])
    // Bob won deal 3 (20000 EUR) on 05-01; owners are grouped folding case, like `by
    // owner`: Bob's win and bob's open deal are one owner's.
    #expect(
      table.rows == [
        [.text("bob"), .integer(1), .text("50000"), .text("20000"), .integer(1), .integer(0), .number(1), .integer(1)],
        [.text("alice"), .integer(2), .text("121000"), .text("0"), .integer(0), .integer(0), .empty, .integer(1)],
        [.text("carol"), .integer(1), .text("250000"), .text("0"), .integer(0), .integer(0), .empty, .integer(0)],
        [.text("dave"), .integer(1), .text("3000"), .text("0"), .integer(0), .integer(0), .empty, .integer(1)],
        [.empty, .integer(1), .text("0"), .text("0"), .integer(0), .integer(0), .empty, .integer(0)],
      ])
    // Deal 4 was lost on 01-15: in the first quarter, not this one.
    let first = try Fixture.reportResult("team 2026-q1 where owner = carol").table
    #expect(
      first.rows == [
        [.text("carol"), .integer(1), .text("250000"), .text("0"), .integer(0), .integer(1), .number(0), .integer(0)]
      ])
    #expect(
      try Fixture.reportResult("team 2026-q1").json.contains(
        "\"first_day\": \"2026-01-01\", \"last_day\": \"2026-03-31\""))
    // Deal 2 (50000 USD) goes to Bob, who won deal 3 (20000 EUR) and now has it open:
    // his open value is in two currencies, shown apart until rates are set.
    let database = Fixture.database()
    try Fixture.run("move to lead where id = 3", on: database)
    try Fixture.run("set owner = Bob where id = 2", on: database)
    #expect(try Fixture.reportResult("team", in: database).text(100).contains("values in several currencies"))
    try Fixture.run(".currency EUR", on: database)
    try Fixture.run(".rate USD 0.5", on: database)
    #expect(try Fixture.reportResult("team", in: database).text(100).contains("values converted to EUR"))
  }
}
