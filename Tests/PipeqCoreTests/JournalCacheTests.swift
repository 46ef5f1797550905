import Foundation
import PipeqCore
import Testing

/// A writer answers `history`, undo and redo from what it appended, without reading its
/// journal back: what it answers must be what the files hold.
@Suite struct JournalCacheTests {
  @Test func aWriterKnowsWhatItsFilesHold() throws {
    let path = DurabilityTests.storePath()
    let writer = try DurabilityTests.fixtureStore(path)
    try Fixture.run("close lost where id < 4", on: writer)
    try Fixture.run(".checkpoint", on: writer)
    for statement in ["tag a where id > 2", "undo", "redo", "set value = 5 where id = 1", "undo"] {
      try Fixture.run(statement, on: writer)
    }
    let reader = try Database.reopen(path, readOnly: true)
    #expect(try writer.recordSummaries() == reader.recordSummaries())
    let recent: Set<UInt64> = [6, 7, 8]
    #expect(try writer.records(recent) == reader.records(recent))
    #expect(try writer.records([2, 8]) == reader.records([2, 8]))
    #expect(Fixture.ids(where: "tags = a", in: writer) == [3, 4, 5, 6, 7, 8])
    #expect(Fixture.ids(where: "value = 5", in: writer) == [])
  }

  /// A writer that opens a journal knows its records as the files state them: an
  /// `--atomic` run's record keeps its script's name, not its first statement's.
  @Test func aReopenedWriterKnowsTheStoredStatements() throws {
    let path = DurabilityTests.storePath()
    do {
      let writer = try DurabilityTests.fixtureStore(path)
      writer.beginBatch()
      try Fixture.run("tag a where id = 1", on: writer)
      try writer.commitBatch(statement: "atomic run of weekly.pq")
      writer.close()
    }
    let writer = try Database.reopen(path)
    #expect(try writer.recordSummaries().last?.statement == "atomic run of weekly.pq")
    #expect(try writer.records([2])[2]?.statement == "atomic run of weekly.pq")
  }
}
