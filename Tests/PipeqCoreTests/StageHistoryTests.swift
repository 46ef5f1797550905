import Foundation
import PipeqCore
import Testing

/// Every stage change leaves an event (deal, from, to, day); arrivals bring the stage they
/// are in from the day they entered it; the events survive reopening exactly.
@Suite struct StageHistoryTests {
  /// Events as `id: from → to @ day`, `·` for no earlier stage.
  static func events(_ table: DealTable, from start: Int = 0) -> [String] {
    let history = table.history
    let stages = table.pipelines.stages
    return (start..<history.count).map { index in
      let from = history.from[index] == StageHistory.noStage ? "·" : stages[Int(history.from[index])].name
      return
        "\(history.ids[index]): \(from) → \(stages[Int(history.to[index])].name) @ \(Day(number: history.days[index]))"
    }
  }

  @Test func importTakesEachDealsStageEnteredOrClosingDay() {
    #expect(
      Self.events(Fixture.database().table) == [
        "1: · → lead @ 2026-01-10", "2: · → qualified @ 2026-02-01", "3: · → won @ 2026-05-01",
        "4: · → lost @ 2026-01-15", "5: · → proposal @ 2026-05-20", "6: · → lead @ 2026-04-01",
        "7: · → pilot @ 2026-03-17", "8: · → contacted @ 2026-04-02",
      ])
  }

  @Test func movesClosesAndUndoEachRecordTheirChanges() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    // Deal 4 is already lost: no event for it. Deal 7's last interaction is exactly 90 days ago.
    try Fixture.run("close lost where stage != won and last_interaction > 90d", on: database)
    try Fixture.run("set owner = zoe where id = 1", on: database)
    try Fixture.run("undo", on: database)
    try Fixture.run("undo", on: database)
    #expect(
      Self.events(database.table, from: 8) == [
        "2: qualified → proposal @ 2026-06-15",
        "2: proposal → lost @ 2026-06-15", "6: lead → lost @ 2026-06-15",
        "2: lost → proposal @ 2026-06-15", "6: lost → lead @ 2026-06-15",
      ])
  }

  @Test func aDeletedDealTakesItsEventsAndComesBackWithItsStage() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 8", on: database)
    try Fixture.run("delete where id = 8", on: database)
    #expect(!database.table.history.ids.contains(8))
    try Fixture.run("undo", on: database)
    // The move set stage_entered to the day it ran; the restored deal arrives from then.
    #expect(Self.events(database.table, from: 7) == ["8: · → proposal @ 2026-06-15"])
  }

  @Test func historySurvivesReopeningAndCheckpoints() throws {
    let path = SnapshotTests.temporaryPath()
    let expected: DealTable
    do {
      let database = try Fixture.store(at: path)
      try Fixture.run("move to proposal where id = 2", on: database)
      try database.checkpoint()
      try Fixture.run("close won where id = 2", on: database)
      expected = database.table
    }
    let reopened = try Database.reopen(path)
    #expect(reopened.table.history == expected.history)
    #expect(
      Self.events(reopened.table, from: 8) == [
        "2: qualified → proposal @ 2026-06-15", "2: proposal → won @ 2026-06-15",
      ])
  }

  /// A store written before history was kept opens with each deal's current stage as its
  /// only event, and is rewritten in the current format when opened for writing.
  @Test func aSnapshotWithoutHistoryIsSeededFromStageEntered() throws {
    let table = Fixture.database().table
    var bytes = LegacyFormats.namesOnlyCatalog(in: SnapshotFormat.encode(table))
    // The history block is written last: drop it; external_id came later still: drop its
    // text block; and say version 1 with two blocks fewer.
    let historyBytes = 4 + 8 + 4 * 8 + 4 + table.history.count * (8 + 2 + 2 + 4)
    bytes.removeLast(historyBytes)
    bytes = SnapshotTests.removingTextBlock("external_id", from: bytes)
    bytes[8] = 1
    bytes[12] -= 2
    let path = SnapshotTests.temporaryPath()
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let opened = try Database.reopen(path)
    #expect(opened.table.history == table.history)
    #expect(try SnapshotFormat.decodeSnapshot(Array(Data(contentsOf: URL(fileURLWithPath: path)))).version == 1)
    try Fixture.run("move to proposal where id = 1", on: opened)
    #expect(Self.events(opened.table, from: 8) == ["1: lead → proposal @ 2026-06-15"])
  }

  /// `as of` reads each deal's stage on that day from the history; a deal created by then
  /// whose history starts later is in `(earlier stage)`; deals not yet created are left
  /// out; other fields are today's.
  @Test func listsAndCountsAsOfADay() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    // On 2026-03-01: deal 1 in lead (since 01-10), 2 in qualified (02-01), 4 lost (01-15);
    // 3, 5, 6 and 7 were created by then, their history starts later.
    let counts = try Fixture.table("count by stage as of 2026-03-01", in: database)
    #expect(
      counts.rows == [
        [.text("(earlier stage)"), .integer(4)], [.text("lead"), .integer(1)], [.text("qualified"), .integer(1)],
        [.text("lost"), .integer(1)],
      ])
    #expect(Fixture.ids(where: "stage = qualified as of yesterday", in: database) == [2])
    #expect(Fixture.ids(where: "stage = qualified", in: database) == [])
    #expect(
      try Fixture.table("sum value by stage where pipeline = partners as of 2026-06-14", in: database).rows == [
        [.text("lead"), .money(12_000_000)], [.text("pilot"), .money(300_000)],
      ])
    #expect(
      try Fixture.plan("explain count as of 2026-03-01", on: database).contains("as the pipeline stood on 2026-03-01"))
    #expect(Fixture.error("close lost where id = 1 as of 2026-01-01").contains("expected end of statement"))
  }
}
