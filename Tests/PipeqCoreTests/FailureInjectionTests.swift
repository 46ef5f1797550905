import Foundation
import PipeqCore
import Testing

/// A failure at every file operation a statement performs: the statement is refused
/// with a clear error, memory is unchanged, reads go on, and the store reopens intact.
@Suite struct FailureInjectionTests {
  static let statements = [
    "close lost where stage != won and last_interaction > 90d",
    ".import more.csv",
    "undo",
    ".checkpoint",
  ]

  /// How many fallible operations a statement performs on a healthy disk.
  static func operationCount(_ statement: String) throws -> Int {
    let (database, disk, path) = try prepared()
    let before = disk.operations
    try Fixture.run(statement.replacingOccurrences(of: "more.csv", with: folder(of: path) + "/more.csv"), on: database)
    return disk.operations - before
  }

  static func prepared() throws -> (Database, FaultyFileSystem, String) {
    let path = SnapshotTests.temporaryPath()
    try "name,stage,value\nNew one,lead,10\n".write(
      toFile: folder(of: path) + "/more.csv", atomically: true, encoding: .utf8)
    let disk = FaultyFileSystem()
    let database = try DurabilityTests.fixtureStore(path, fileSystem: disk)
    try Fixture.run("tag watch where id < 3", on: database)
    return (database, disk, path)
  }

  @Test(arguments: statements)
  func everyFailurePointLeavesTheStoreIntact(statement: String) throws {
    let count = try Self.operationCount(statement)
    #expect(count >= 2)
    for point in 1...count {
      let (path, table) = try Self.fail(statement, at: point)
      let reopened = try Database.reopen(path)
      #expect(reopened.table == table, "\(statement): reopen after failure #\(point)")
    }
  }

  /// Runs `statement` with the `point`-th file operation failing; returns the store's
  /// path and the table as memory held it afterwards (the database is closed).
  static func fail(_ statement: String, at point: Int) throws -> (String, DealTable) {
    let (database, disk, path) = try prepared()
    let before = database.table
    disk.failAt = disk.operations + point
    let source = SourceText(
      name: "t", text: statement.replacingOccurrences(of: "more.csv", with: folder(of: path) + "/more.csv"))
    let engine = Engine(database: database, options: .init(today: Fixture.today))
    engine.fileSystem = disk
    do {
      _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
      Issue.record("\(statement): no error when \(disk.failedOperation ?? "?") #\(point) failed")
    } catch {
      #expect(error.diagnostic.message.contains("cannot"), "\(error.diagnostic.message)")
      #expect(error.diagnostic.message.contains("No space left on device"))
    }
    #expect(database.table == before, "\(statement): memory changed after \(disk.failedOperation ?? "?")")
    #expect(Fixture.ids(where: "tag = watch", in: database) == [1, 2], "reads go on")
    return (path, database.table)
  }

  @Test func aFailedSyncStopsTheWritePath() throws {
    let (database, disk, _) = try Self.prepared()
    let before = database.table
    disk.code = EIO
    disk.failAt = disk.operations + 2  // write, then sync
    #expect(Fixture.error("tag x where id = 1", in: database).contains("cannot sync"))
    #expect(disk.failedOperation == "sync")
    #expect(database.table == before)
    // No retry: every later change is refused, reads still work.
    let next = Fixture.error("tag y where id = 2", in: database)
    #expect(next.contains("writing stopped"))
    #expect(next.contains("restart pipeq"))
    #expect(Fixture.ids(where: "id < 3", in: database) == [1, 2])
  }
}
