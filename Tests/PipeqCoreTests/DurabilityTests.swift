import Foundation
import PipeqCore
import Testing

/// The journal: what is acknowledged is on disk, replays exactly, and damage is found.
@Suite struct DurabilityTests {
  static func storePath() -> String { SnapshotTests.temporaryPath() }

  /// A file-backed store holding the fixture.
  static func fixtureStore(
    _ path: String, fileSystem: FileSystem = PosixFileSystem.shared, checkpointBytes: Int = 64 << 20
  )
    throws -> Database
  {
    let database = try Database(path: path, fileSystem: fileSystem, checkpointBytes: checkpointBytes)
    let importer = CSVImporter(table: database.table, today: Fixture.today)
    let (mutation, _) = try importer.makeMutation(bytes: Array(Fixture.csv.utf8), fileName: "f", statement: ".import f")
    try database.commit(mutation, kind: .importFile)
    return database
  }

  static func records(_ path: String) throws -> JournalFormat.Contents {
    try JournalFormat.read(Array(try Data(contentsOf: URL(fileURLWithPath: path + ".journal"))))
  }

  @Test func oneRecordAndOneSyncPerStatement() throws {
    let path = Self.storePath()
    let counting = FaultyFileSystem()
    do {
      let database = try Self.fixtureStore(path, fileSystem: counting)
      let before = counting.syncs
      let report = try Fixture.report("close lost where id > 0", in: database)
      #expect(report.changed == 7)
      #expect(counting.syncs == before + 1)
    }
    let contents = try Self.records(path)
    #expect(contents.records.map(\.sequence) == [1, 2])
    #expect(contents.records[1].statement == "close lost where id > 0")
    #expect(contents.records[1].dealIDs.count == 7)
    #expect(contents.tail == .clean)
  }

  @Test func recordsHoldResolvedEffectsNotJustText() throws {
    let path = Self.storePath()
    do {
      let database = try Self.fixtureStore(path)
      try Fixture.run("close lost where stage != won and last_interaction > 90d", on: database)
    }
    let record = try Self.records(path).records[1]
    #expect(record.mutations[0].today == Fixture.today)
    let stageEdits = record.mutations[0].edits().filter { $0.field == .stage }
    #expect(stageEdits.map(\.id) == [2, 6])
    #expect(stageEdits.map(\.before) == [.text("qualified"), .text("lead")])
    #expect(stageEdits.map(\.after) == [.text("lost"), .text("lost")])
    #expect(!record.user.isEmpty)
    // Replaying on another day changes exactly the same deals.
    let reopened = try Database.reopen(path)
    #expect(Fixture.ids(where: "stage = lost", in: reopened) == [2, 4, 6])
  }

  @Test func reopenReplaysTheJournalExactly() throws {
    let path = Self.storePath()
    let expected: DealTable
    do {
      let database = try Self.fixtureStore(path)
      for statement in [
        "tag hot where value > 10k", "move to proposal where stage = qualified", "set value = value * 1.5 where id < 4",
        "delete where id = 8", "close won where id = 1",
      ] {
        try Fixture.run(statement, on: database)
      }
      expected = database.table
    }
    #expect(try Database.reopen(path).table == expected)
    #expect(try Database.reopen(path, readOnly: true).table == expected)
  }

  @Test func tornTailIsCutOffAndKept() throws {
    let path = Self.storePath()
    let journal = URL(fileURLWithPath: path + ".journal")
    let acknowledged: DealTable
    let acknowledgedSize: Int
    do {
      let database = try Self.fixtureStore(path)
      try Fixture.run("tag a where id = 1", on: database)
      acknowledged = database.table
      acknowledgedSize = try Data(contentsOf: journal).count
      try Fixture.run("tag b where id = 2", on: database)
    }
    // A crash in the middle of appending the last record.
    let full = try Data(contentsOf: journal)
    let cutAt = full.count - 7
    try full.prefix(cutAt).write(to: journal)
    let reopened = try Database.reopen(path)
    #expect(reopened.table == acknowledged)
    #expect(reopened.openNotices.count == 1)
    #expect(reopened.openNotices[0].contains("the last journal record was unfinished"))
    #expect(reopened.openNotices[0].contains("cut \(cutAt - acknowledgedSize) bytes"))
    #expect(try Data(contentsOf: journal) == full.prefix(acknowledgedSize))
    let kept = try FileManager.default.contentsOfDirectory(atPath: folder(of: path)).filter { $0.contains(".torn-") }
    #expect(kept.count == 1)
    let keptBytes = try Data(contentsOf: URL(fileURLWithPath: folder(of: path) + "/" + kept[0]))
    #expect(keptBytes == full[acknowledgedSize..<cutAt])
    // The store goes on from the acknowledged prefix.
    try Fixture.run("tag c where id = 3", on: reopened)
    #expect(try Self.records(path).records.map(\.sequence) == [1, 2, 3])
  }

  @Test func damageBeforeAValidRecordRefusesToOpen() throws {
    let path = Self.storePath()
    do {
      let database = try Self.fixtureStore(path)
      try Fixture.run("tag a where id = 1", on: database)
    }
    let journal = URL(fileURLWithPath: path + ".journal")
    var bytes = try Data(contentsOf: journal)
    let damageAt = JournalFormat.headerSize + 40
    bytes[damageAt] ^= 0x04
    try bytes.write(to: journal)
    do {
      _ = try Database.reopen(path)
      Issue.record("a damaged journal opened")
    } catch {
      #expect(error.diagnostic.message.contains("store.pipeq.journal is damaged at byte \(JournalFormat.headerSize)"))
      #expect(error.diagnostic.message.contains("a valid record follows"))
    }
    #expect(try Data(contentsOf: journal) == bytes)
  }

  @Test func newerJournalIsRefused() throws {
    let path = Self.storePath()
    do { _ = try Self.fixtureStore(path) }
    var header = JournalFormat.header(baseSequence: 0)
    header[8] = 7
    let crc = CRC32C.checksum(Array(header[0..<20]))
    header.replaceSubrange(20..<24, with: withUnsafeBytes(of: crc.littleEndian) { Array($0) })
    try Data(header).write(to: URL(fileURLWithPath: path + ".journal"))
    #expect(throws: JournalFormat.ReadError.newerVersion(7)) { try JournalFormat.read(header) }
    do {
      _ = try Database.reopen(path)
      Issue.record("a journal from a newer pipeq opened")
    } catch {
      #expect(error.diagnostic.message.contains("written by a newer pipeq (journal format 7)"))
    }
  }

  /// Truncating the journal anywhere loads an acknowledged prefix, never anything else.
  @Test func everyTruncationLoadsAPrefix() throws {
    let (snapshot, journal, states) = try Self.history()
    for length in stride(from: JournalFormat.headerSize, through: journal.count, by: 1) {
      let contents = try JournalFormat.read(Array(journal[0..<length]))
      var table = snapshot
      for record in contents.records { for mutation in record.mutations { table.apply(mutation) } }
      #expect(table == states[contents.records.count], "length \(length)")
      #expect((contents.tail == .clean) == (contents.validEnd == length))
    }
  }

  /// A flipped bit anywhere is found: the journal is refused, or the flip is in the last
  /// record and it is cut off as torn. Nothing loads silently wrong.
  @Test func everyBitFlipIsFound() throws {
    let (snapshot, journal, states) = try Self.history()
    var random = SplitMix64(seed: 11)
    for trial in 0..<4000 {
      var damaged = journal
      let offset = trial < 24 * 8 ? trial / 8 : random.below(journal.count)
      damaged[offset] ^= UInt8(1 << (trial % 8))
      guard let contents = try? JournalFormat.read(damaged) else { continue }
      #expect(contents.tail != .clean, "flip at \(offset) went unnoticed")
      var table = snapshot
      for record in contents.records { for mutation in record.mutations { table.apply(mutation) } }
      #expect(table == states[contents.records.count])
      #expect(contents.records.count == states.count - 2, "only the last record may be cut")
    }
  }

  /// A snapshot, the journal after it, and the table after each record.
  static func history() throws -> (DealTable, [UInt8], [DealTable]) {
    let path = storePath()
    var states: [DealTable] = []
    let snapshot: DealTable
    do {
      let database = try fixtureStore(path)
      try database.checkpoint()
      snapshot = database.table
      states.append(database.table)
      for statement in [
        "tag a where id < 4", "close lost where idle > 90d", "set owner = 'Zoë' where id = 5", "delete where id = 7",
        "move to qualified where id = 1",
      ] {
        try Fixture.run(statement, on: database)
        states.append(database.table)
      }
    }
    let journal = Array(try Data(contentsOf: URL(fileURLWithPath: path + ".journal")))
    return (snapshot, journal, states)
  }

  @Test func checkpointArchivesTheJournalAndKeepsHistory() throws {
    let path = Self.storePath()
    let expected: DealTable
    do {
      let database = try Self.fixtureStore(path)
      try Fixture.run("tag a where id = 1", on: database)
      try Fixture.run(".checkpoint", on: database)
      try Fixture.run("tag b where id = 2", on: database)
      expected = database.table
    }
    let contents = try Self.records(path)
    #expect(contents.baseSequence == 2)
    #expect(contents.records.map(\.sequence) == [3])
    let archived = FileManager.default.fileExists(atPath: path + ".history/00000000000000000001.journal")
    #expect(archived)
    let reopened = try Database.reopen(path)
    #expect(reopened.table == expected)
    #expect(try reopened.records().map(\.sequence) == [1, 2, 3])
    try Fixture.run("undo 2", on: reopened)
    #expect(Fixture.ids(where: "tags in (a, b)", in: reopened) == [])
  }

  @Test func automaticCheckpointWhenTheJournalGrows() throws {
    let path = Self.storePath()
    let database = try Self.fixtureStore(path, checkpointBytes: 4096)
    for i in 0..<30 { try Fixture.run("set contact = 'c\(i)' where id > 0", on: database) }
    #expect(try Self.records(path).records.count < 30)
    #expect(try database.records().count == 31)
    let table = database.table
    _ = consume database
    #expect(try Database.reopen(path).table == table)
  }

  /// Records are looked up in the one segment whose sequence range holds them, by
  /// writers and read-only readers alike, and an archived one can still be undone alone.
  @Test func recordsAreFoundInTheirSegment() throws {
    let path = Self.storePath()
    do {
      let database = try Self.fixtureStore(path)
      for (index, id) in [1, 2, 3, 4, 5].enumerated() {
        try Fixture.run("tag s\(index) where id = \(id)", on: database)
        if index % 2 == 1 { try database.checkpoint() }
      }
    }
    let segments = try FileManager.default.contentsOfDirectory(atPath: path + ".history").sorted()
    #expect(segments == ["00000000000000000001.journal", "00000000000000000004.journal"])
    for readOnly in [true, false] {
      let database = try Database.reopen(path, readOnly: readOnly)
      for wanted in [Set<UInt64>([1]), [3], [4, 6], [2, 5], [7]] {
        #expect(try database.records(wanted).keys.sorted() == wanted.filter { $0 <= 6 }.sorted(), "\(wanted)")
      }
      #expect(try database.recordSummaries().map(\.sequence) == [1, 2, 3, 4, 5, 6])
    }
    let writer = try Database.reopen(path)
    try Fixture.run("undo #3", on: writer)
    #expect(Fixture.ids(where: "tags = s1", in: writer) == [])
    #expect(Fixture.ids(where: "tags = s2", in: writer) == [3])
  }

  @Test func anUnfinishedCheckpointLeavesTheStoreAsItWas() throws {
    let path = Self.storePath()
    let expected: DealTable
    do {
      let database = try Self.fixtureStore(path)
      try Fixture.run("tag a where id = 1", on: database)
      expected = database.table
    }
    // A crash after writing the next snapshot, before renaming it.
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + ".next"))
    #expect(try Database.reopen(path).table == expected)
    #expect(!FileManager.default.fileExists(atPath: path + ".next"))
  }

  @Test func filesAreReadableByTheOwnerOnly() throws {
    let path = Self.storePath()
    do {
      let database = try Self.fixtureStore(path)
      try database.checkpoint()
    }
    for file in [path, path + ".journal", path + ".state", path + ".history/00000000000000000001.journal"] {
      let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
      #expect(mode == 0o600, "\(file)")
    }
  }

  @Test func oneWriterPerStore() throws {
    let path = Self.storePath()
    let first = try Self.fixtureStore(path)
    do {
      _ = try Database(path: path)
      Issue.record("two writers")
    } catch {
      #expect(error.diagnostic.message == "store \(path) is in use by PID \(getpid())")
    }
    let reader = try Database.reopen(path, readOnly: true)
    #expect(reader.table == first.table)
    #expect(Fixture.error("tag x where id = 1", in: reader).contains("opened read-only"))
  }
}
