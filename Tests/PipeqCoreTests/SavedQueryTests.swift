import Foundation
import PipeqCore
import Testing

@Suite struct SavedQueryTests {
  @Test func aSavedFilterWorksWhereverAFilterDoes() throws {
    let database = Fixture.database()
    try Fixture.run("define stale as status = open and idle > 90d", on: database)
    #expect(Fixture.ids(where: "stale", in: database) == [2, 6])
    #expect(Fixture.ids(where: "stale and owner = bob", in: database) == [2])
    #expect(Fixture.ids(where: "not stale and status = open", in: database) == [1, 5, 7, 8])
    let report = try Fixture.report("close lost reason 'stale' where STALE", in: database)
    #expect(report.summary == "closed 2 deals as lost")
  }

  @Test func aSavedStatementTakesPositionalArguments() throws {
    let database = Fixture.database()
    try Fixture.run("define review as list id, value where owner = $1 and value > $2 order by value desc", on: database)
    let table = try Fixture.table("review carol 5k", in: database)
    #expect(table.rows.map { $0[0] } == [.integer(8), .integer(4)])
    // Called short of an argument: the caret is under the call, and the help says how
    // to call it and what it runs.
    Fixture.expectRefusals(
      [("review carol", "'review' takes 2 arguments, and was given 1", 0, 6)], in: database)
    #expect(Fixture.error("review carol", in: database).contains("help: review VALUE1 VALUE2   (it runs: list id"))
    #expect(Fixture.error("reveiw carol 1", in: database).contains("did you mean 'review'?"))
  }

  @Test func defsListsAndUndefineRemoves() throws {
    let database = Fixture.database()
    try Fixture.run("define hot as value > 100k", on: database)
    try Fixture.run("define mine as list where owner = alice", on: database)
    let defs = try Fixture.table("defs", in: database)
    #expect(
      defs.rows == [
        [.text("hot"), .text("filter"), .text("value > 100k")],
        [.text("mine"), .text("statement"), .text("list where owner = alice")],
      ])
    try Fixture.run("undefine hot", on: database)
    #expect(try Fixture.table("defs", in: database).rows.count == 1)
    #expect(Fixture.error("list where hot", in: database).contains("'hot' is neither a field nor a saved filter"))
    #expect(Fixture.error("undefine hot", in: database).contains("there is no saved query 'hot'"))
  }

  @Test func namesAreChecked() {
    for (statement, message) in [
      ("define stage as value > 1", "'stage' is a keyword or a field"),
      ("define list as value > 1", "'list' is a keyword or a field"),
      ("define where as value > 1", "expected a name to define"),
      ("define x as stage = wonn", "unknown stage 'wonn'"),
      ("define x as", "expected a filter or a statement after as"),
    ] {
      #expect(Fixture.error(statement).contains(message), "\(statement)")
    }
  }

  @Test func aDefinitionThatNoLongerChecksIsReportedWithItsPosition() throws {
    let database = Fixture.database()
    try Fixture.run("define hot as value > 100k", on: database)
    try Fixture.run("define hot_and_open as status = open and hot", on: database)
    try Fixture.run("undefine hot", on: database)
    #expect(
      Fixture.error("count where hot_and_open", in: database) == """
        error: in saved filter 'hot_and_open' (used at <command>:1:13): 'hot' is neither a field nor a saved filter
         --> saved filter 'hot_and_open':1:19
        1 | status = open and hot
          |                   ^~~
          = help: a test needs a comparison: hot = VALUE; `defs` lists saved filters

        """)
  }

  @Test func aFilterThatUsesItselfIsRefused() throws {
    let database = Fixture.database()
    try Fixture.run("define a as value > 1", on: database)
    #expect(Fixture.error("define a as a and value > 2", in: database).contains("saved filter 'a' uses itself"))
    try Fixture.run("define b as a", on: database)
    #expect(Fixture.error("define a as b", in: database).contains("uses itself"))
    #expect(database.table.definitions["a"] == "value > 1")
  }

  @Test func definitionsAreJournaledUndoableAndSurviveARestart() throws {
    let path = SnapshotTests.temporaryPath()
    do {
      let database = try DurabilityTests.fixtureStore(path)
      try Fixture.run("define stale as idle > 90d", on: database)
      try Fixture.run("define hot as value > 100k", on: database)
      try Fixture.run("undo", on: database)
      #expect(database.table.definitions == ["stale": "idle > 90d"])
    }
    do {
      let database = try Database.reopen(path)
      #expect(database.table.definitions == ["stale": "idle > 90d"])
      try database.checkpoint()
    }
    let reopened = try Database.reopen(path)
    #expect(Fixture.ids(where: "stale", in: reopened) == [2, 4, 6])
  }

  @Test func scriptParametersFillInValues() throws {
    let database = Fixture.database()
    let source = SourceText(name: "t.pq", text: "count where owner = $who and created >= $since")
    let engine = Engine(database: database, options: .init(today: Fixture.today))
    engine.parameters = ["who": "carol", "since": "2026-01-01"]
    let outcome = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
    guard case .table(let table) = outcome.result else { return }
    #expect(table.rows == [[.integer(1)]])
    // A value of the wrong kind is pointed at where the parameter is used.
    engine.parameters = ["who": "carol", "since": "soon"]
    do {
      _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
      Issue.record("a text value was accepted as a date")
    } catch {
      #expect(DiagnosticRenderer.render(error.diagnostic).contains("created is a date, but '$since' is text"))
    }
  }

  @Test func anAtomicBatchIsOneRecordOrNothing() throws {
    let database = Fixture.database()
    let before = database.table
    database.beginBatch()
    try Fixture.run("tag a where id = 1", on: database)
    try Fixture.run("close won where id = 2", on: database)
    #expect(Fixture.ids(where: "tag = a", in: database) == [1])
    database.abortBatch()
    #expect(database.table == before)
    #expect(try database.records().count == 1)
    let exported = UndoTests.export(database)
    database.beginBatch()
    try Fixture.run("tag a where id = 1", on: database)
    try Fixture.run("close won where id = 2", on: database)
    #expect(Fixture.error("undo", in: database).contains("not available inside an --atomic script"))
    try database.commitBatch(statement: "atomic run of t.pq")
    let records = try database.records()
    #expect(records.count == 2)
    #expect(records[1].statement == "atomic run of t.pq")
    try Fixture.run("undo", on: database)
    #expect(UndoTests.export(database) == exported)
  }
}

/// Whether a saved query is a filter or a statement is decided in one place, and a
/// stored filter that does not parse says so instead of passing for a statement.
@Suite struct SavedQueryKindTests {
  @Test func theKindComesFromTheText() {
    #expect(SavedQueryKind(body: "close lost where idle > 90d") == .statement)
    #expect(SavedQueryKind(body: "  count by stage") == .statement)
    #expect(SavedQueryKind(body: "stage = won and value > 5k") == .filter)
    #expect(SavedQueryKind(body: "(owner = bob)") == .filter)
  }

  @Test func definitionsAreReadIntoTheirTypesWhenSet() {
    var definitions: Definitions = ["hot": "value > 5k", "weekly": "count by stage"]
    definitions[".currency"] = "EUR"
    definitions[".rate.USD"] = "0.9"
    #expect(definitions.queries.mapValues(\.kind) == ["hot": .filter, "weekly": .statement])
    #expect(definitions.settings.baseCurrency == "EUR")
    #expect(definitions.settings.rates == ["USD": 0.9])
    definitions["hot"] = nil
    definitions[".rate.USD"] = nil
    #expect(definitions.queries.keys.sorted() == ["weekly"])
    #expect(definitions.settings.rates.isEmpty)
    #expect(definitions.texts == ["weekly": "count by stage", ".currency": "EUR"])
  }

  @Test func aBrokenStoredStatementIsAnErrorInsideIt() throws {
    var table = Fixture.database().table
    table.definitions["weekly"] = "count by by"
    let rendered = Fixture.error("weekly", in: Database(table: table))
    #expect(rendered.contains("saved query 'weekly'"), "\(rendered)")
    #expect(!rendered.contains("saved filter"), "\(rendered)")
  }

  @Test func aBrokenStoredFilterIsAnErrorInsideIt() throws {
    var table = Fixture.database().table
    table.definitions["hot"] = "value > > 5"
    let database = Database(table: table)
    let rendered = Fixture.error("count where hot", in: database)
    #expect(rendered.contains("in saved filter 'hot' (used at <command>:1:13)"), "\(rendered)")
    #expect(!rendered.contains("saved statement"))
  }
}
