import Foundation
import PipeqCore
import Testing

/// The stage history an import builds: HubSpot's `Date entered` columns, the day next
/// week's export says a deal moved, and a probability column ordering new stages.
@Suite struct ImportedHistoryTests {
  /// A deal's events as (from, to, day) with stage names.
  static func events(of id: Int64, in table: DealTable) -> [String] {
    let history = table.history
    func name(_ stage: UInt16) -> String {
      stage == StageHistory.noStage ? "-" : table.pipelines.stages[Int(stage)].name
    }
    return history.ids.indices.filter { history.ids[$0] == id }.map {
      "\(name(history.from[$0]))→\(name(history.to[$0])) \(Day(number: history.days[$0]))"
    }
  }

  static func importing(_ csv: String, into database: Database) throws -> CSVImporter.Report {
    let (mutation, report) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array(csv.utf8), fileName: "hubspot.csv", statement: ".import hubspot.csv")
    try database.commit(mutation)
    return report
  }

  static let hubSpot = #"""
    Record ID,Deal Name,Deal Stage,Pipeline,Amount,Create Date,Close Date,"Date entered ""Appointment Scheduled (Sales Pipeline)""","Date entered ""Contract Sent (Sales Pipeline)""","Date entered ""Closed Won (Sales Pipeline)""",Last Modified Date
    1001,Acme renewal,Closed Won,Sales Pipeline,12500,2026-01-14 09:20,2026-03-01,2026-01-14 09:20,2026-02-02 10:00,2026-03-01 16:45,2026-03-01 16:45
    1002,Globex pilot,Contract Sent,Sales Pipeline,4000,2026-02-20 11:00,2026-07-30,2026-02-20 11:00,2026-04-10 08:30,,2026-04-10 08:30
    1003,Hooli upsell,Appointment Scheduled,Sales Pipeline,900,2026-05-20 12:00,2026-08-15,2026-05-20 12:00,,,2026-05-20 12:00
    """#

  @Test func dateEnteredColumnsAreTheDealsStageHistory() throws {
    let database = Database()
    _ = try Self.importing(Self.hubSpot, into: database)
    let table = database.table
    #expect(
      Self.events(of: 1001, in: table) == [
        "-→Appointment Scheduled 2026-01-14", "Appointment Scheduled→Contract Sent 2026-02-02",
        "Contract Sent→won 2026-03-01",
      ])
    #expect(
      Self.events(of: 1002, in: table) == [
        "-→Appointment Scheduled 2026-02-20", "Appointment Scheduled→Contract Sent 2026-04-10",
      ])
    #expect(Self.events(of: 1003, in: table) == ["-→Appointment Scheduled 2026-05-20"])
    // `as of` reads them: on 2026-02-15 Acme was in Contract Sent, Globex not yet created.
    #expect(Fixture.ids(where: "stage = 'Contract Sent' as of 2026-02-15", in: database) == [1001])
    #expect(Fixture.ids(where: "stage = 'Appointment Scheduled' as of 2026-03-15", in: database) == [1002])
  }

  /// Next week's export moves a deal: the event is on the file's modified day, and the
  /// deal's stage_entered is that day too; a deal the file does not date moves today.
  @Test func aMoveOnReimportIsDatedByTheFile() throws {
    let database = Database()
    _ = try Self.importing(Self.hubSpot, into: database)
    let week2 = """
      Record ID,Deal Name,Deal Stage,Pipeline,Amount,Last Modified Date
      1002,Globex pilot,Closed Won,Sales Pipeline,4000,2026-06-01 09:00
      1003,Hooli upsell,Contract Sent,Sales Pipeline,900,
      """
    let report = try Self.importing(week2, into: database)
    #expect((report.updated, report.imported) == (2, 0))
    let table = database.table
    #expect(Self.events(of: 1002, in: table).last == "Contract Sent→won 2026-06-01")
    #expect(Self.events(of: 1003, in: table).last == "Appointment Scheduled→Contract Sent 2026-06-15")
    #expect(Fixture.ids(where: "stage_entered = 2026-06-01", in: database) == [1002])
    #expect(Fixture.ids(where: "stage_entered = 2026-06-15", in: database) == [1003])
    #expect(Fixture.ids(where: "status = won as of 2026-06-10", in: database) == [1001, 1002])
    // Undo takes the moves back, and the events with them on replay of the undo's day.
    try Fixture.run("undo", on: database)
    #expect(Fixture.ids(where: "stage = 'Contract Sent'", in: database) == [1002])
  }

  /// A date in the file after today is the file's mistake, not the future: the event is
  /// dated today; one before the deal's last event keeps history in order.
  @Test func eventDaysStayBetweenTheLastEventAndToday() throws {
    let database = Database()
    _ = try Self.importing(Self.hubSpot, into: database)
    let week2 = """
      Record ID,Deal Stage,Pipeline,Last Modified Date
      1002,Closed Lost,Sales Pipeline,2030-01-01
      1003,Contract Sent,Sales Pipeline,2026-01-01
      """
    _ = try Self.importing(week2, into: database)
    #expect(Self.events(of: 1002, in: database.table).last == "Contract Sent→lost 2026-06-15")
    #expect(Self.events(of: 1003, in: database.table).last == "Appointment Scheduled→Contract Sent 2026-05-20")
  }

  /// The events an import states are in its journal record: reopening replays them.
  @Test func statedEventsSurviveReplay() throws {
    let path = SnapshotTests.temporaryPath()
    var expected: StageHistory?
    do {
      let database = try Database(path: path)
      _ = try Self.importing(Self.hubSpot, into: database)
      _ = try Self.importing(
        "Record ID,Deal Stage,Pipeline,Last Modified Date\n1003,Contract Sent,Sales Pipeline,2026-06-01\n",
        into: database)
      expected = database.table.history
    }
    let reopened = try Database.reopen(path)
    #expect(reopened.table.history == expected)
    #expect(Self.events(of: 1003, in: reopened.table).last == "Appointment Scheduled→Contract Sent 2026-06-01")
  }

  /// A probability column orders a new pipeline's stages (lowest first), where the
  /// stage names alone would give the order the file first shows them.
  @Test func aProbabilityColumnOrdersNewStages() throws {
    let database = Database()
    _ = try Self.importing(
      """
      Name,Stage,Probability,Amount
      a,Verbal yes,90%,1
      b,First call,10%,1
      c,Paperwork,75%,1
      d,Demo done,40%,1
      e,First call,10%,1
      """, into: database)
    let pipeline = database.table.pipelines.pipelines[0]
    #expect(
      pipeline.stages.map { database.table.pipelines.stages[Int($0)].name } == [
        "First call", "Demo done", "Paperwork", "Verbal yes", "won", "lost",
      ])
  }
}
