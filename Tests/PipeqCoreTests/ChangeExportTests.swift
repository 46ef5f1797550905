import Foundation
import PipeqCore
import Testing

/// `.export changes since`: the round trip back to the CRM — only what pipeq's own
/// statements changed, under the file's column and stage names.
@Suite struct ChangeExportTests {
  static let hubSpot = """
    Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal Owner,Closed Lost Reason,Last Activity Date
    DEAL-1,Acme renewal,Closed Won,Sales Pipeline,12500,3/1/2026,1/14/2026,Ana Silva,,2/27/2026
    DEAL-2,Globex pilot,Contract Sent,Sales Pipeline,4000,7/30/2026,12/20/2025,Ben Carter,,1/10/2026
    DEAL-3,Initech seats,Appointment Scheduled,Sales Pipeline,8000,6/30/2026,4/2/2026,Ana Silva,,6/1/2026
    """

  static func imported(_ csv: String) throws -> Database {
    let database = Database()
    let (mutation, _) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array(csv.utf8), fileName: "hubspot.csv", statement: ".import hubspot.csv")
    try database.commit(mutation, kind: .importFile)
    return database
  }

  /// Runs the export and returns the file's lines and the notes.
  static func exported(_ since: String, from database: Database) throws -> (lines: [String], notes: [String]) {
    let path = SnapshotTests.temporaryPath() + ".csv"
    let outcome = try Fixture.run(".export changes since \(since) \(path)", on: database)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return (text.split(separator: "\r\n").map(String.init), outcome.notices)
  }

  @Test func aFlushGoesBackUnderTheFilesColumnsAndStageNames() throws {
    let database = try Self.imported(Self.hubSpot)
    try Fixture.run("close lost reason 'went dark' where stage != won and last_interaction > 90d", on: database)
    try Fixture.run("set value = 9000 where external_id = 'DEAL-3'", on: database)
    let (lines, notes) = try Self.exported("#1", from: database)
    #expect(
      lines == [
        "Record ID,Deal Stage,Amount,Close Date,Closed Lost Reason",
        "DEAL-2,Closed Lost,,2026-06-15,went dark",
        "DEAL-3,,9000,,",
      ])
    // stage_entered goes with the stage (the CRM dates the change itself); a tag the file
    // had no column for is told of.
    #expect(notes.isEmpty)
    try Fixture.run("tag hot where external_id = 'DEAL-1'", on: database)
    #expect(
      try Self.exported("#3", from: database).notes == [
        "changes to tags are not in the file: .import hubspot.csv had no column for them"
      ])
    // DEAL-3 was active on 2026-06-01: only its amount changed, by #3.
    let (later, _) = try Self.exported("#2", from: database)
    #expect(later == ["Record ID,Amount", "DEAL-3,9000"])
  }

  /// Imports are what the CRM already has; a change taken back is no change.
  @Test func importsAndUndoneChangesAreLeftOut() throws {
    let database = try Self.imported(Self.hubSpot)
    try Fixture.run("set owner = 'Cy Dee' where external_id = 'DEAL-1'", on: database)
    try Fixture.run("tag hot where external_id = 'DEAL-2'", on: database)
    try Fixture.run("undo", on: database)
    let (mutation, _) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array("Record ID,Deal Stage,Amount\nDEAL-3,Contract Sent,8500\n".utf8), fileName: "week2.csv",
      statement: ".import week2.csv")
    try database.commit(mutation, kind: .importFile)
    let (lines, notes) = try Self.exported("#1", from: database)
    #expect(lines == ["Record ID,Deal Owner", "DEAL-1,Cy Dee"])
    #expect(notes.isEmpty)
    // Taking the second import back is no change of pipeq's either.
    try Fixture.run("undo", on: database)
    #expect(try Self.exported("#1", from: database).lines == ["Record ID,Deal Owner", "DEAL-1,Cy Dee"])
  }

  /// An undo of a record holding several changes (an --atomic run) takes them all back,
  /// and every deal it reverts is a change since a cut before the undo.
  @Test func anUndoOfABatchCountsEveryChangeItTakesBack() throws {
    let database = try Self.imported(Self.hubSpot)
    database.beginBatch()
    try Fixture.run("set owner = 'Cy Dee' where external_id = 'DEAL-1'", on: database)
    try Fixture.run("set owner = 'Di Eve' where external_id = 'DEAL-2'", on: database)
    try database.commitBatch(statement: "batch")
    try Fixture.run("undo", on: database)
    let (lines, _) = try Self.exported("#2", from: database)
    #expect(lines == ["Record ID,Deal Owner", "DEAL-1,Ana Silva", "DEAL-2,Ben Carter"])
  }

  /// A file of the template's own columns: pipeq's ids, the template's names; a date
  /// cut takes the records of that day on.
  @Test func templateFilesAndDateCuts() throws {
    let database = try Self.imported(Fixture.csv)
    try Fixture.run("move to proposal where id = 1", on: database)
    try Fixture.run("delete where id = 8", on: database)
    let (lines, notes) = try Self.exported("2000-01-01", from: database)
    #expect(lines == ["id,stage,stage_entered", "1,proposal,2026-06-15"])
    #expect(notes == ["1 deals deleted since are not in the file: an import cannot delete"])
    let (none, _) = try Self.exported("2999-01-01", from: database)
    #expect(none == ["id"])
  }

  @Test func aCutThatIsNotThereIsRefusedWithACaret() throws {
    let database = Fixture.database()
    #expect(
      Fixture.error(".export changes since #7 out.csv", in: database).contains(
        "there is no #7 yet: the last change is #1"))
    let rendered = Fixture.error(".export changes since lastweek out.csv", in: database)
    #expect(rendered.contains("'lastweek' is neither a history number nor a date"))
    #expect(rendered.contains(Fixture.caretLine(column: 22, width: 8)))
  }
}
