import Foundation
import PipeqCore
import Testing

/// Checkpoints run off the statement path: the statement that starts one returns while
/// its snapshot is written, later statements go to a fresh journal, and a crash at any
/// step of it loses nothing acknowledged.
@Suite struct BackgroundCheckpointTests {
  static let changes = (0..<12).map { "set contact = 'c\($0)' where id > \($0 % 3)" }

  @Test func statementsGoOnWhileTheSnapshotIsWritten() throws {
    let path = DurabilityTests.storePath()
    let disk = GatedFileSystem()
    let table: DealTable
    do {
      let database = try DurabilityTests.fixtureStore(path, fileSystem: disk, checkpointBytes: 2048)
      #expect(disk.waitForWriter(), "no checkpoint started")
      // The writer is held inside the checkpoint: these return only because nothing waits for it.
      for statement in Self.changes { try Fixture.run(statement, on: database) }
      #expect(try Self.snapshotSequence(path) == 0)
      // A reader meanwhile replays the archived records after the old snapshot.
      let replayed = try Database.reopen(path, readOnly: true).table == database.table
      #expect(replayed)
      disk.release()
      try database.finishCheckpoint()
      #expect(!disk.timedOut)
      #expect(try Self.snapshotSequence(path) > 0)
      table = database.table
      database.close()
    }
    let reopened = try Database.reopen(path).table == table
    #expect(reopened)
  }

  @Test func aCheckpointCutShortIsReplayedFromTheHistory() throws {
    let path = DurabilityTests.storePath()
    let disk = FaultyFileSystem()
    let table: DealTable
    do {
      let database = try DurabilityTests.fixtureStore(path, fileSystem: disk, checkpointBytes: 2048)
      try database.finishCheckpoint()
      // From here every snapshot write fails; the journal is still rotated into the history.
      disk.failEvery = { $0 == "create" && $1.hasSuffix(".next") }
      for statement in Self.changes { try Fixture.run(statement, on: database) }
      #expect(throws: DiagnosticError.self) { try database.finishCheckpoint() }
      table = database.table
      database.close()
    }
    #expect(try Self.snapshotSequence(path) == 1)
    #expect(try DurabilityTests.records(path).baseSequence > 2)
    let reopened = try Database.reopen(path)
    let same = reopened.table == table
    #expect(same)
    // The first change after opening writes the snapshot it is owed.
    try Fixture.run("tag caught_up where id = 1", on: reopened)
    try reopened.finishCheckpoint()
    #expect(try Self.snapshotSequence(path) == reopened.sequence)
  }

  /// The process dies at every file operation in turn while changes start background
  /// checkpoints: reopening finds every acknowledged change, and at most the one being
  /// written when it died (never acknowledged, never half there).
  @Test func aCrashAtEveryStepLosesNothingAcknowledged() throws {
    let reference = try Self.run(crashAt: 0)
    #expect(reference.operations > 40)
    for point in 1...reference.operations {
      let crashed = try Self.run(crashAt: point)
      let reopened = try Database.reopen(crashed.path)
      let sequence = reopened.sequence
      #expect(sequence == crashed.acknowledged || sequence == crashed.acknowledged + 1, "crash at operation \(point)")
      let same = reopened.table == reference.states[sequence]
      #expect(same, "crash at operation \(point): the table after record \(sequence) differs")
    }
  }

  /// Runs the changes on a fresh store whose disk stops at operation `point` (a writer
  /// is joined after each, so every point falls in a known step); returns the store, the
  /// last acknowledged record, the table after each record and the operations counted.
  static func run(crashAt point: Int) throws -> (
    path: String, acknowledged: UInt64, states: [UInt64: DealTable], operations: Int
  ) {
    let path = DurabilityTests.storePath()
    let disk = FaultyFileSystem()
    disk.code = EIO
    let database = try DurabilityTests.fixtureStore(path, fileSystem: disk, checkpointBytes: 1024)
    let start = disk.operations
    if point > 0 { disk.crashAt = start + point }
    var states = [database.sequence: database.table]
    for statement in changes {
      if (try? Fixture.run(statement, on: database)) != nil { states[database.sequence] = database.table }
      try? database.finishCheckpoint()
    }
    return (path, database.sequence, states, disk.operations - start)
  }

  static func snapshotSequence(_ path: String) throws -> UInt64 {
    try SnapshotFormat.decodeSnapshot(Array(try Data(contentsOf: URL(fileURLWithPath: path)))).sequence
  }
}

/// The real file system, except that a checkpoint's writer is held where it creates the
/// next snapshot until the test lets it go (at most 20 s, so a wait never hangs a run).
final class GatedFileSystem: FileSystem, @unchecked Sendable {
  private let real = PosixFileSystem()
  private let arrived = DispatchSemaphore(value: 0)
  private let gate = DispatchSemaphore(value: 0)
  private let state = NSLock()
  private var arrivedFlag = false
  private(set) var timedOut = false

  var writerArrived: Bool { state.withLock { arrivedFlag } }

  func waitForWriter() -> Bool { writerArrived || arrived.wait(timeout: .now() + 20) == .success }

  func release() { gate.signal() }

  func create(_ path: String) throws(FileError) -> Int32 {
    if path.hasSuffix(".next") && !state.withLock({ arrivedFlag }) {
      state.withLock { arrivedFlag = true }
      arrived.signal()
      if gate.wait(timeout: .now() + 20) == .timedOut { state.withLock { timedOut = true } }
    }
    return try real.create(path)
  }

  func exists(_ path: String) -> Bool { real.exists(path) }
  func read(_ path: String) throws(FileError) -> [UInt8] { try real.read(path) }
  func openForReading(_ path: String) throws(FileError) -> Int32 { try real.openForReading(path) }
  func read(_ fd: Int32, at offset: Int, count: Int, path: String) throws(FileError) -> [UInt8] {
    try real.read(fd, at: offset, count: count, path: path)
  }
  func openForAppend(_ path: String) throws(FileError) -> Int32 { try real.openForAppend(path) }
  func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) { try real.write(fd, bytes, path: path) }
  func sync(_ fd: Int32, path: String) throws(FileError) { try real.sync(fd, path: path) }
  func truncate(_ fd: Int32, to size: Int, path: String) throws(FileError) {
    try real.truncate(fd, to: size, path: path)
  }
  func size(_ fd: Int32) -> Int { real.size(fd) }
  func close(_ fd: Int32) { real.close(fd) }
  func rename(_ from: String, to: String) throws(FileError) { try real.rename(from, to: to) }
  func link(_ from: String, to: String) throws(FileError) { try real.link(from, to: to) }
  func remove(_ path: String) { real.remove(path) }
  func makeFolder(_ path: String) throws(FileError) { try real.makeFolder(path) }
  func list(_ folder: String) -> [String] { real.list(folder) }
  func syncFolder(of path: String) throws(FileError) { try real.syncFolder(of: path) }
}
