import PipeqCore
import Testing

@Suite struct ActionTests {
  let today = Fixture.today

  @Test func theFlushClosesExactlyWhatTheFilterLists() throws {
    let database = Fixture.database()
    let filter = "stage != won and last_interaction > 90d"
    #expect(Fixture.ids(where: filter, in: database) == [2, 4, 6])
    let report = try Fixture.report("close lost reason 'stale' where \(filter)", in: database)
    #expect(report.summary == "closed 2 deals as lost; 1 was already lost")
    #expect(report.changed == 2)
    #expect(report.unchanged == 1)
    let table = database.table
    for id: Int64 in [2, 6] {
      let row = table.row(of: id)!
      #expect(table.value(.stage, at: row, today: today) == .text("lost"))
      #expect(table.value(.closed, at: row, today: today) == .date(today))
      #expect(table.value(.stageEntered, at: row, today: today) == .date(today))
      #expect(table.value(.lostReason, at: row, today: today) == .text("stale"))
    }
    // The deal that was already lost keeps its date and reason.
    let kept = table.row(of: 4)!
    #expect(table.value(.closed, at: kept, today: today) == .date(Day(iso: "2026-01-15")!))
    #expect(table.value(.lostReason, at: kept, today: today) == .text("no budget"))
    // Everything else is untouched.
    #expect(Fixture.ids(where: "stage = lost", in: database) == [2, 4, 6])
    #expect(Fixture.ids(where: "closed = today", in: database) == [2, 6])
  }

  @Test func closeMovesToEachPipelinesOwnClosingStage() throws {
    let database = Fixture.database()
    try Fixture.run("close won where id in (1, 7)", on: database)
    let table = database.table
    for id: Int64 in [1, 7] {
      let row = table.row(of: id)!
      #expect(table.value(.stage, at: row, today: today) == .text("won"))
      #expect(table.value(.status, at: row, today: today) == .text("won"))
    }
    #expect(table.value(.pipeline, at: table.row(of: 7)!, today: today) == .text("partners"))
    #expect(Fixture.ids(where: "pipeline = partners and status = won", in: database) == [7])
  }

  @Test func closeWonClearsAnOldLostReason() throws {
    let database = Fixture.database()
    try Fixture.run("close won where id = 4", on: database)
    #expect(database.table.value(.lostReason, at: database.table.row(of: 4)!, today: today) == .empty)
  }

  @Test func moveSetsStageEnteredAndReportsAlreadyThere() throws {
    let database = Fixture.database()
    let report = try Fixture.report("move to qualified where id in (1, 2, 8)", in: database)
    #expect(report.summary == "moved 2 deals to qualified; 1 was already there")
    #expect(Fixture.ids(where: "stage = qualified", in: database) == [1, 2, 8])
    #expect(Fixture.ids(where: "stage_entered = today", in: database) == [1, 8])
  }

  @Test func moveToAStageMissingFromAPipelineChangesNothing() {
    let database = Fixture.database()
    let before = database.table
    let message = Fixture.error("move to proposal where owner = alice", in: database)
    #expect(
      message.contains(
        "stage 'proposal' does not exist in pipeline 'partners': 1 matched deal cannot move (6); nothing was changed"))
    #expect(message.contains("^~~~~~~~"))
    #expect(database.table == before)
  }

  @Test func moveOutOfAClosedStageReopens() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 3", on: database)
    let row = database.table.row(of: 3)!
    #expect(database.table.value(.status, at: row, today: today) == .text("open"))
    #expect(database.table.value(.closed, at: row, today: today) == .empty)
  }

  @Test func setComputesFromTheOldValues() throws {
    let database = Fixture.database()
    let report = try Fixture.report("set value = value * 1.1, owner = 'Ann' where id in (1, 5)", in: database)
    #expect(report.changed == 2)
    let table = database.table
    #expect(table.value(.value, at: table.row(of: 1)!, today: today) == .money(110_000))
    // An empty value stays empty through arithmetic.
    #expect(table.value(.value, at: table.row(of: 5)!, today: today) == .empty)
    #expect(table.value(.owner, at: table.row(of: 5)!, today: today) == .text("Ann"))
  }

  @Test func setDatesWithDurations() throws {
    let database = Fixture.database()
    try Fixture.run("set expected_close = expected_close + 1mo, last_interaction = today where id = 1", on: database)
    let row = database.table.row(of: 1)!
    #expect(database.table.value(.expectedClose, at: row, today: today) == .date(Day(iso: "2026-08-01")!))
    #expect(database.table.value(.lastInteraction, at: row, today: today) == .date(today))
  }

  @Test func setToEmptyAndUnchangedDeals() throws {
    let database = Fixture.database()
    let report = try Fixture.report("set source = empty where source = referral or source is empty", in: database)
    #expect(report.summary == "updated 2 deals; 2 already had those values")
    #expect(Fixture.ids(where: "source is empty", in: database) == [1, 3, 5, 7])
  }

  @Test func divisionByZeroChangesNothing() {
    let database = Fixture.database()
    let before = database.table
    #expect(Fixture.error("set value = value / 0 where id < 3", in: database).contains("division by zero for deal 1"))
    #expect(database.table == before)
  }

  @Test func tagAndUntag() throws {
    let database = Fixture.database()
    let tagged = try Fixture.report("tag priority, hot where id in (1, 2)", in: database)
    #expect(tagged.summary == "tagged 2 deals priority, hot")
    #expect(Fixture.ids(where: "tag = hot", in: database) == [1, 2])
    #expect(Fixture.ids(where: "tag = priority", in: database) == [1, 2, 6])
    let again = try Fixture.report("tag PRIORITY where id = 1", in: database)
    #expect(again.summary == "tagged 0 deals PRIORITY; 1 already had the tags")
    let untagged = try Fixture.report("untag priority where id > 0", in: database)
    #expect(untagged.summary == "untagged 3 deals priority; 5 did not have the tags")
    #expect(Fixture.ids(where: "tag = priority", in: database) == [])
    #expect(Fixture.ids(where: "tag = emea", in: database) == [1])
  }

  @Test func deleteRemovesTheDeals() throws {
    let database = Fixture.database()
    let report = try Fixture.report("delete where pipeline = partners", in: database)
    #expect(report.summary == "deleted 2 deals")
    #expect(Fixture.ids(where: "id > 0", in: database) == [1, 2, 3, 4, 5, 8])
  }

  @Test func dryRunChangesNothingAndPreviews() throws {
    let database = Fixture.database()
    let before = database.table
    let report = try Fixture.report(
      "close lost where stage != won and last_interaction > 90d", in: database, dryRun: true)
    #expect(report.summary == "would close 2 deals as lost; 1 is already lost")
    #expect(report.preview.columns == ["id", "name", "account", "stage", "value"])
    #expect(report.preview.rows.map { $0[0] } == [.integer(2), .integer(6)])
    #expect(report.preview.rows[0][3] == .text("qualified → lost"))
    #expect(database.table == before)
  }

  @Test func aPreviewShowsEveryChangedFieldOldToNew() throws {
    let database = Fixture.database()
    let report = try Fixture.report(
      "set value = value * 1.1, owner = zed where owner = carol", in: database, dryRun: true)
    #expect(report.preview.columns == ["id", "name", "account", "stage", "value", "owner"])
    // Deal 4: 7,000 → 7,700; deal 8: 250,000 → 275,000; numbers as a table shows them.
    #expect(report.preview.rows.map { $0[4] } == [.text("7,000 → 7,700"), .text("250,000 → 275,000")])
    #expect(report.preview.rows.map { $0[5] } == [.text("carol → zed"), .text("carol → zed")])
  }

  @Test func explainRunsNothing() throws {
    let database = Fixture.database()
    let before = database.table
    #expect(
      try Fixture.plan("explain close lost where stage != won and last_interaction > 90d", on: database) == """
        close as lost: stage, stage_entered = today, closed = today
          where not (stage = won) and last_interaction < 2026-03-17 (last_interaction > 90d)
          all or nothing; written to disk before it reports
        """)
    #expect(database.table == before)
  }

  @Test func explainShowsListOrder() throws {
    #expect(
      try Fixture.plan(
        "explain list name where owner in (a, b) or value >= 5k order by value desc limit 3", on: Fixture.database())
          == """
          list name
            where owner in ('a', 'b') or value >= 5000
            order by value desc, then id; empty values last
            limit 3
          """)
  }
}

@Suite struct CancellationTests {
  @Test func aCancelledStatementChangesNothing() throws {
    let database = Fixture.database()
    let before = database.table
    let source = SourceText(name: "t", text: "close lost where id > 0")
    let engine = Engine(database: database, options: .init(today: Fixture.today))
    engine.isCancelled = { true }
    do {
      _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
      Issue.record("a cancelled statement ran")
    } catch {
      #expect(error.diagnostic.message == "cancelled (Ctrl-C); nothing was changed")
    }
    #expect(database.table == before)
    #expect(try database.records().count == 1)
  }
}

/// A change is worked out once, shown (in its preview wording) and only then written:
/// the engine asks between the two, and a no writes nothing.
@Suite struct ConfirmationTests {
  static func engine(_ database: Database, answer: Bool, asked: UncheckedBox) -> Engine {
    let engine = Engine(database: database, options: .init(today: Fixture.today))
    engine.confirm = { report in
      asked.reports.append(report)
      return answer
    }
    return engine
  }

  final class UncheckedBox: @unchecked Sendable { var reports: [ActionReport] = [] }

  static func run(_ text: String, _ engine: Engine) throws -> Engine.Outcome {
    let source = SourceText(name: "<command>", text: text)
    return try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
  }

  @Test func aNoWritesNothingAndAYesWritesWhatWasShown() throws {
    let database = Fixture.database()
    let before = database.table
    let asked = UncheckedBox()
    let outcome = try Self.run("close lost where status = open", Self.engine(database, answer: false, asked: asked))
    #expect(database.table == before)
    #expect(database.sequence == 1)
    guard case .message(let text) = outcome.result else {
      Issue.record("not declined")
      return
    }
    #expect(text == "nothing was changed")
    #expect(asked.reports.map(\.summary) == ["would close 6 deals as lost"])
    let yes = try Self.run("close lost where status = open", Self.engine(database, answer: true, asked: asked))
    guard case .action(let report) = yes.result else {
      Issue.record("not an action")
      return
    }
    #expect(report.summary == "closed 6 deals as lost")
    #expect(asked.reports.count == 2 && asked.reports[1].changed == report.changed)
    #expect(database.sequence == 2)
  }

  /// A saved statement and an undo are asked about once, not run first as a preview.
  @Test func savedStatementsAndUndoAreAskedOnce() throws {
    let database = Fixture.database()
    let asked = UncheckedBox()
    let engine = Self.engine(database, answer: true, asked: asked)
    _ = try Self.run("define flush as close lost where status = open", engine)
    _ = try Self.run("flush", engine)
    _ = try Self.run("undo", engine)
    #expect(asked.reports.map(\.summary).map { $0.prefix(10) } == ["would clos", "would undo"])
    // One deal, or a saved query defined for the first time: written without asking.
    _ = try Self.run("set owner = zed where id = 1", engine)
    #expect(asked.reports.count == 2)
    _ = try Self.run("define flush as close lost where status = open and idle > 30d", engine)
    #expect(asked.reports.last?.action == "redefine")
  }
}
