import Foundation
import PipeqCore
import Testing

@Suite struct UndoTests {
  static func export(_ database: Database) -> String {
    let table = database.table
    let rows = (0..<table.count).map { row in Field.stored.map { table.value($0, at: row, today: Fixture.today) } }
    return CSVWriter.render(ResultTable(columns: Field.stored.map(\.rawValue), rows: rows))
  }

  static let actions = [
    "close lost reason 'stale' where idle > 60d", "close won where value > 10k",
    "move to qualified where stage = lead and pipeline = sales",
    "move to pilot where pipeline = partners", "set value = value * 1.1 where status = open",
    "set owner = 'Zoë', source = empty where id in (1, 3, 5)",
    "set expected_close = today + 2w where expected_close is empty",
    "tag hot, 'big one' where value > 5k", "untag priority where id > 0", "delete where owner = carol",
    "delete where id = 5", "set name = 'Renamed' where name ~ a",
  ]

  /// Random bulk actions, each followed by undo, give back a byte-identical export.
  @Test func undoRestoresExactly() throws {
    var random = SplitMix64(seed: 99)
    let database = Fixture.database()
    let original = Self.export(database)
    for _ in 0..<60 {
      let action = Self.actions[random.below(Self.actions.count)]
      let outcome = try Fixture.run(action, on: database)
      guard case .action(let report) = outcome.result, report.changed > 0 else { continue }
      #expect(Self.export(database) != original, "\(action) changed nothing")
      try Fixture.run("undo", on: database)
      #expect(Self.export(database) == original, "undo of \(action)")
    }
  }

  @Test func undoSeveralThenRedo() throws {
    let database = Fixture.database()
    let original = Self.export(database)
    try Fixture.run("tag a where id = 1", on: database)
    let afterFirst = Self.export(database)
    try Fixture.run("close won where id = 2", on: database)
    try Fixture.run("delete where id = 3", on: database)
    let afterAll = Self.export(database)
    let report = try Fixture.report("undo 2", in: database)
    #expect(report.summary == "undid 2 actions (#4, #3): 2 deals are back as they were")
    #expect(Self.export(database) == afterFirst)
    try Fixture.run("redo", on: database)
    #expect(Self.export(database) == afterAll)
    try Fixture.run("undo 3", on: database)
    #expect(Self.export(database) == original)
    // Only the import stands now: asking for more than that is refused, nothing changes.
    #expect(Fixture.error("undo 2", in: database) == "error: only 1 action stands; nothing was undone\n")
    #expect(Self.export(database) == original)
  }

  @Test func undoOneActionWhenNoLaterActionTouchedItsDeals() throws {
    let database = Fixture.database()
    try Fixture.run("tag a where id = 1", on: database)  // #2
    try Fixture.run("tag b where id = 2", on: database)  // #3
    try Fixture.run("tag c where id = 1", on: database)  // #4
    // #3 stands alone: undoing it leaves #2 and #4.
    let report = try Fixture.report("undo #3", in: database)
    #expect(report.summary == "undid #3 (tag b where id = 2): 1 deal is back as it was")
    #expect(Fixture.ids(where: "tag = b", in: database) == [])
    #expect(Fixture.ids(where: "tag in (a, c)", in: database) == [1])
    // #2 was followed by #4 on the same deal: refused, nothing changes.
    let before = database.table
    #expect(
      Fixture.error("undo #2", in: database) == """
        error: cannot undo #2 alone: deal 1 was changed later by #4 (tag c where id = 1); nothing was undone
         --> <command>:1:6
        1 | undo #2
          |      ^~
          = help: undo #4 first, or `undo 2` to take back everything since

        """)
    #expect(database.table == before)
    #expect(Fixture.error("undo #3", in: database).contains("#3 was already undone by #5"))
    #expect(Fixture.error("undo #99", in: database).contains("there is no action #99"))
  }

  @Test func redoOnlyRightAfterAnUndo() throws {
    let database = Fixture.database()
    #expect(Fixture.error("redo", in: database).contains("there is nothing to redo"))
    try Fixture.run("tag a where id = 1", on: database)
    try Fixture.run("undo", on: database)
    try Fixture.run("tag b where id = 2", on: database)
    #expect(Fixture.error("redo", in: database).contains("there is nothing to redo"))
  }

  @Test func undoOfAnImportRemovesItsDeals() throws {
    let database = Fixture.database()
    try Fixture.run("undo", on: database)
    #expect(database.table.count == 0)
    #expect(Fixture.error("undo", in: Database()).contains("there is nothing to undo"))
  }

  @Test func dryRunShowsWhatUndoWouldRevert() throws {
    let database = Fixture.database()
    try Fixture.run("set owner = 'Zoë' where id = 1", on: database)
    let before = database.table
    let report = try Fixture.report("undo", in: database, dryRun: true)
    #expect(report.summary == "would undo #2 (set owner = 'Zoë' where id = 1): 1 deal would be back as it was")
    #expect(report.preview.rows == [[.integer(1), .text("Alpha renewal"), .text("owner"), .text("Zoë → alice")]])
    #expect(database.table == before)
  }

  @Test func anUndoPreviewCountsDealsAndFieldsNotRows() throws {
    let database = Fixture.database()
    try Fixture.run("set value = value * 2, owner = zed where id <= 7", on: database)
    let report = try Fixture.report("undo", in: database, dryRun: true)
    // 7 deals × 2 fields, less deal 5's value (none, and none doubled): 13 changes;
    // the preview shows the first 10.
    #expect(report.preview.rows.count == 10)
    #expect(report.preview.countLine == "(10 of 13 changes; 7 deals, 2 fields (value, owner))\n")
    #expect(report.preview.rows[0] == [.integer(1), .text("Alpha renewal"), .text("value"), .text("2,000 → 1,000")])
  }

  @Test func historyListsActionsAndUndos() throws {
    let database = Fixture.database()
    database.clock = { 1_781_481_600 }  // 2026-06-15 00:00 UTC
    try Fixture.run("tag a where id < 3", on: database)
    try Fixture.run("undo", on: database)
    let table = try Fixture.table("history", in: database)
    #expect(table.columns == ["seq", "time", "user", "statement", "deals", "note"])
    #expect(table.rows.map { $0[0] } == [.text("#1"), .text("#2"), .text("#3")])
    #expect(table.rows[1][3] == .text("tag a where id < 3"))
    #expect(table.rows[1][4] == .integer(2))
    #expect(table.rows[1][5] == .text("undone by #3"))
    #expect(table.rows[2][5] == .text("undo of #2"))
    #expect(try Fixture.table("history limit 1", in: database).rows.count == 1)
  }

  @Test func logShowsEveryChangeToADeal() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    try Fixture.run("set value = 60k where id = 2", on: database)
    try Fixture.run("tag b where id = 1", on: database)
    let table = try Fixture.table("log deal 2", in: database)
    #expect(table.columns == ["seq", "time", "user", "statement", "field", "old", "new"])
    let rows = table.rows.map { [$0[0], $0[4], $0[5], $0[6]] }
    #expect(
      rows == [
        [.text("#1"), .text("(deal)"), .empty, .text("created")],
        [.text("#2"), .text("stage"), .text("qualified"), .text("proposal")],
        [.text("#2"), .text("stage_entered"), .date(Day(iso: "2026-02-01")!), .date(Fixture.today)],
        [.text("#3"), .text("value"), .money(5_000_000), .money(6_000_000)],
      ])
    #expect(Fixture.error("log deal 404", in: database).contains("there is no deal 404"))
  }

  @Test func undoSurvivesARestart() throws {
    let path = SnapshotTests.temporaryPath()
    let original: String
    do {
      let database = try DurabilityTests.fixtureStore(path)
      original = Self.export(database)
      try Fixture.run("close lost where id > 0", on: database)
    }
    do {
      let database = try Database.reopen(path)
      try Fixture.run("undo", on: database)
      #expect(Self.export(database) == original)
    }
    let reopened = try Database.reopen(path)
    #expect(Self.export(reopened) == original)
    try Fixture.run("redo", on: reopened)
    #expect(Fixture.ids(where: "status = lost", in: reopened).count == 8)
  }
}
