import Testing

@testable import PipeqCore

/// `add deal`: one deal by hand, checked like `set`, journaled, undoable.
@Suite struct AddDealTests {
  @Test func aDealIsAddedWithTheNextIdAndTodaysDates() throws {
    let database = Fixture.database()
    let report = try Fixture.report(
      "add deal \"Acme renewal\" account \"Acme Ltd\" value 12k stage proposal owner bob expected_close today + 30d",
      in: database)
    #expect(report.newID == 9 && report.changed == 1 && !report.asks)
    #expect(report.wording.done == "added deal 9 (Acme renewal) in sales/proposal")
    let table = database.table
    let row = try #require(table.row(of: 9))
    #expect(table.value(.account, at: row, today: Fixture.today) == .text("Acme Ltd"))
    #expect(table.value(.value, at: row, today: Fixture.today) == .money(1_200_000))
    #expect(table.value(.stage, at: row, today: Fixture.today) == .text("proposal"))
    #expect(table.value(.created, at: row, today: Fixture.today) == .date(Fixture.today))
    #expect(table.value(.stageEntered, at: row, today: Fixture.today) == .date(Fixture.today))
    #expect(table.value(.expectedClose, at: row, today: Fixture.today) == .date(Fixture.today.adding(days: 30)))
    #expect(table.value(.closed, at: row, today: Fixture.today) == .empty)
    // In the history, in the deal's log, and taken back by undo.
    #expect(try Fixture.table("log deal 9", in: database).rows.last?.last == .text("created"))
    try Fixture.run("undo", on: database)
    #expect(database.table.row(of: 9) == nil)
  }

  @Test func thePipelineIsTheOneNamedOrTheOneThatHasTheStage() throws {
    let database = Fixture.database()
    try Fixture.run("add deal Pilot stage pilot tags \"smb;emea\"", on: database)
    let row = try #require(database.table.row(of: 9))
    #expect(database.table.value(.pipeline, at: row, today: Fixture.today) == .text("partners"))
    #expect(database.table.value(.tags, at: row, today: Fixture.today) == .tags(["emea", "smb"]))
    try Fixture.run("add deal Second stage lead in partners", on: database)
    #expect(database.table.value(.pipeline, at: database.table.row(of: 10)!, today: Fixture.today) == .text("partners"))
    // No stage: the first open stage of the first pipeline.
    try Fixture.run("add deal Third", on: database)
    #expect(database.table.value(.stage, at: database.table.row(of: 11)!, today: Fixture.today) == .text("lead"))
    // A closed stage closes it today.
    try Fixture.run("add deal Fourth stage won in sales", on: database)
    #expect(
      database.table.value(.closed, at: database.table.row(of: 12)!, today: Fixture.today) == .date(Fixture.today))
  }

  @Test func mistakesAreErrorsAtTheWordAndAddNothing() {
    let database = Fixture.database()
    let cases: [(String, String, Int, Int)] = [
      ("add deal X stage lead", "stage 'lead' is in 2 pipelines (sales, partners): which one?", 17, 4),
      ("add deal X stage pilot in sales", "pipeline 'sales' has no stage 'pilot'", 17, 5),
      ("add deal X stage leed", "unknown stage 'leed'", 17, 4),
      ("add deal X in sails", "unknown pipeline 'sails'", 14, 5),
      ("add deal X value bob", "value is money, but 'bob' is text", 17, 3),
      ("add deal X colour red", "unknown field 'colour'", 11, 6),
      ("add deal X status won", "a new deal's status cannot be given", 11, 6),
      ("add deal X owner a owner b", "owner is given twice", 19, 5),
      ("add deal X created 9999-12-31 + 1d", "created takes a value here", 19, 15),
    ]
    Fixture.expectRefusals(cases, in: database)
    #expect(database.table.count == 8)
    #expect(Fixture.error("add deal", in: database).contains("the new deal's name"))
    #expect(Fixture.error("add deal X owner", in: database).contains("a value for owner"))
  }
}
