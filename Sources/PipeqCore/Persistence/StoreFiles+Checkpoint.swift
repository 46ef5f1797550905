/// Checkpoints: a new snapshot holding everything up to a record, and a fresh journal.
///
/// The statement that makes the journal too long only starts one: the journal is
/// archived into the history folder and a fresh one begun (a few file operations), and
/// the snapshot is written in the background (`SnapshotJob`). Until the new snapshot is
/// in place, opening reads the old one and replays the archived records after it. A
/// crash at any step loses nothing: every record is in the history or the journal, and
/// a half-written `STORE.next` is removed on open.
extension StoreFiles {
  /// Writes a checkpoint and waits for it (`.checkpoint`, an older journal on opening).
  func checkpoint(_ table: DealTable, sequence: UInt64, progress: WorkProgress? = nil) throws(DiagnosticError) {
    // One that failed earlier is superseded by this one.
    try? settleCheckpoint()
    try startCheckpoint(table, sequence: sequence, progress: progress)
    try settleCheckpoint()
  }

  /// After a change: starts a checkpoint in the background once the journal has grown
  /// past `checkpointBytes`, or when the snapshot is behind the journal (a checkpoint
  /// failed, or one was cut short by a crash). Nothing waits for it; a failure is tried
  /// again at the next change.
  func checkpointIfDue(_ table: DealTable, sequence: UInt64) {
    if let job = checkpointInFlight {
      guard job.isDone else { return }
      try? settleCheckpoint()
    }
    guard journalSize > checkpointBytes || snapshotBehind else { return }
    try? startCheckpoint(table, sequence: sequence)
  }

  /// Waits for the checkpoint in flight, if any; throws what made it fail.
  func settleCheckpoint() throws(DiagnosticError) {
    guard let job = checkpointInFlight else { return }
    checkpointInFlight = nil
    do {
      try job.wait()
      snapshotBehind = false
    } catch {
      snapshotBehind = true
      throw error
    }
  }

  private func startCheckpoint(_ table: DealTable, sequence: UInt64, progress: WorkProgress? = nil)
    throws(DiagnosticError)
  {
    guard journal != nil, let lock else {
      throw DiagnosticError(Diagnostic(.error, "the store was opened read-only", location: path))
    }
    try rotateJournal(at: sequence)
    let write = SnapshotWrite(
      path: path, fileSystem: fileSystem, lock: lock, table: table, sequence: sequence, progress: progress)
    snapshotBehind = true
    checkpointInFlight = SnapshotJob(sequence: sequence) { () throws(DiagnosticError) in try write.run() }
  }

  /// Archives the journal into the history folder and starts a fresh one after
  /// `sequence`: later records go to the new journal, and the archived one keeps those
  /// the snapshot being written will hold until it is in place.
  private func rotateJournal(at sequence: UInt64) throws(DiagnosticError) {
    guard let old = journal, old.size > JournalFormat.headerSize else { return }
    do { try archiveJournal() } catch { throw fail(error, "; the store was left as it was") }
    do {
      journal = try Journal.create(path: journalPath, baseSequence: sequence, fileSystem: fileSystem)
      journalBase = sequence
      journalCache?.startJournal()
    } catch {
      // While the journal's name still stands for the old one, appending to it stays
      // right (the archived copy is the same file, and a prefix is replaced next time).
      // Once the name may stand for the new one, only a reopen sorts out which is real.
      if !old.isStillNamed {
        journal = nil
        stoppedBecause = "a checkpoint could not start a new journal (\(error)); restart pipeq"
      }
      throw fail(error, "; nothing was lost")
    }
  }

  /// On opening, when the snapshot is older than the journal's start (a checkpoint's
  /// snapshot was not in place yet): replays the archived records between the two.
  /// Returns whether they reach the journal's start; false when some are missing.
  func replayArchived(onto table: inout DealTable, after sequence: inout UInt64, through base: UInt64)
    throws(DiagnosticError) -> Bool
  {
    for file in archivedSegments(after: sequence, through: base) {
      let found = try records(in: file, archived: true, summariesOnly: false)
      for record in found where record.sequence > sequence && record.sequence <= base {
        guard record.sequence == sequence + 1 else { return false }
        for mutation in record.mutations { table.apply(mutation) }
        sequence = record.sequence
      }
    }
    return sequence == base
  }

  /// The archived segments that can hold records after `sequence` up to `base`, oldest
  /// first: each is named after its first record, so the others are not read.
  private func archivedSegments(after sequence: UInt64, through base: UInt64) -> [String] {
    let firsts = fileSystem.list(historyFolder).filter { $0.hasSuffix(".journal") }.sorted().compactMap {
      UInt64($0.dropLast(".journal".count))
    }
    return firsts.indices.filter { index in
      firsts[index] <= base && (index + 1 == firsts.count || firsts[index + 1] > sequence + 1)
    }.map { historyFolder + "/" + StoreFiles.segmentName(after: firsts[$0] - 1) }
  }

  /// Hard-links the active journal into the history folder under its first record's
  /// name. A segment of that name left by an earlier checkpoint (one that found no new
  /// records, or one cut short after linking) holds a prefix of this journal, so it is
  /// replaced, never kept in its place.
  private func archiveJournal() throws(FileError) {
    try fileSystem.makeFolder(historyFolder)
    let segment = historyFolder + "/" + StoreFiles.segmentName(after: journalBase)
    let temp = temporaryName(for: segment)
    try fileSystem.link(journalPath, to: temp)
    do {
      try fileSystem.rename(temp, to: segment)
    } catch {
      fileSystem.remove(temp)
      throw error
    }
    summaryCache[segment] = nil
    try fileSystem.syncFolder(of: segment)
  }

  static func segmentName(after base: UInt64) -> String {
    let digits = String(base + 1)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".journal"
  }
}

/// What the background writer of a checkpoint works from: the columns as of `sequence`
/// and the files it replaces. Nothing here is touched by the statement path while it
/// runs (the store's lock is only used again once the job is joined).
private struct SnapshotWrite: @unchecked Sendable {
  let path: String
  let fileSystem: FileSystem
  let lock: StoreLock
  let table: DealTable
  let sequence: UInt64
  var progress: WorkProgress? = nil

  /// Writes `STORE.next`, syncs it, reads it back through every block's checksum, then
  /// locks it and renames it over the store. The old snapshot stays until then.
  func run() throws(DiagnosticError) {
    let next = path + ".next"
    var replacement: Int32?
    do {
      fileSystem.remove(next)
      try fileSystem.writeDurably(next) { emit throws(FileError) in
        try SnapshotFormat.write(table, sequence: sequence, progress: progress, emit: emit)
      }
      try verify(next)
      replacement = try lock.lockReplacement(next)
      try fileSystem.rename(next, to: path)
      lock.adopt(replacement!)
      replacement = nil
      try fileSystem.syncFolder(of: path)
    } catch {
      if let replacement { fileSystem.close(replacement) }
      fileSystem.remove(next)
      throw DiagnosticError(
        Diagnostic(.error, "\(error.description); the journal still holds every change", location: path))
    }
  }

  /// Reads the file back a block at a time through every block's checksum.
  private func verify(_ next: String) throws(FileError) {
    do {
      try fileSystem.readingRanges(next) { size, read in try SnapshotFormat.verify(size: size, read: read) }
    } catch let error as FileError {
      throw error
    } catch {
      throw FileError(operation: "read back the new snapshot intact from", path: next, code: EIO)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
