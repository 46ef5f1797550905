/// The files of one store and the order in which they are touched.
///
///     STORE              snapshot: every deal as of journal record `sequence`; the
///                        writer holds a `flock` on it
///     STORE.journal      the records acknowledged since that snapshot
///     STORE.history/     earlier journals, kept whole: history, undo and `log` read them,
///                        and opening replays from them while a checkpoint's snapshot
///                        is not yet in place (`StoreFiles+Checkpoint`)
///     STORE.state        whether the last writer closed cleanly, and the journal's length
///
/// Opening verifies everything before use and replays the journal. After a crash a torn
/// last record is cut off (its bytes kept aside); a record that is complete but fails its
/// checksum, a torn tail after a clean close and damage anywhere else refuse to open
/// until `--recover` cuts the damage off.
public final class StoreFiles {
  /// The store's snapshot, symlinks resolved: every other file is named after it.
  public let path: String
  public let readOnly: Bool
  /// Cut damage off the journal (keeping its bytes aside) instead of refusing to open.
  let recover: Bool
  /// The sequence the current journal starts after (names its history segment).
  var journalBase: UInt64 = 0
  /// Record summaries of archived journal segments, by path.
  var summaryCache: [String: JournalFormat.Contents] = [:]
  let fileSystem: FileSystem
  var journal: Journal?
  var lock: StoreLock?
  /// Set when a failure left the files in a state only a reopen sorts out.
  var stoppedBecause: String?
  /// The checkpoint whose snapshot is being written in the background, if any.
  var checkpointInFlight: SnapshotJob?
  /// Whether the snapshot on disk is older than the journal's start, so that opening
  /// replays archived records: a checkpoint is in flight, failed or was cut short.
  var snapshotBehind = false
  /// A writer's record summaries and recent records of the active journal.
  var journalCache: JournalCache?
  /// The journal size that triggers a checkpoint.
  public var checkpointBytes: Int

  var journalPath: String { path + ".journal" }
  var historyFolder: String { path + ".history" }

  public struct Opened {
    public var table: DealTable
    public var sequence: UInt64
    public var notices: [String]
  }

  private init(path: String, readOnly: Bool, recover: Bool, fileSystem: FileSystem, checkpointBytes: Int) {
    self.path = path
    self.readOnly = readOnly
    self.recover = recover
    self.fileSystem = fileSystem
    self.checkpointBytes = checkpointBytes
  }

  /// A store dropped without closing still lets its snapshot writer finish.
  deinit { try? checkpointInFlight?.wait() }

  public static func open(
    path: String, readOnly: Bool = false, recover: Bool = false, fileSystem: FileSystem = PosixFileSystem.shared,
    checkpointBytes: Int = 8 << 20
  ) throws(DiagnosticError) -> (StoreFiles, Opened) {
    let files = StoreFiles(
      path: try storePath(path), readOnly: readOnly, recover: recover, fileSystem: fileSystem,
      checkpointBytes: checkpointBytes)
    if !readOnly, let created = try files.createIfMissing() { return (files, created) }
    if !readOnly {
      do {
        files.lock = try StoreLock.acquire(store: files.path)
      } catch {
        throw files.fail(error)
      }
      guard files.lock != nil else { throw files.inUse() }
    }
    let state = StoreState.read(store: files.path, fileSystem: fileSystem)
    var opened = try files.load(state: state)
    opened.notices += files.keptAsideNotices(except: opened.notices)
    if !readOnly { files.recordOpen() }
    return (files, opened)
  }

  /// The snapshot's path: a symlink stands for its target, so every file is found
  /// beside the real store; anything but a regular file (a device, a pipe, a folder) is
  /// refused before a file is made or a byte read.
  static func storePath(_ given: String) throws(DiagnosticError) -> String {
    let path = FileKind(given) == .symlink ? resolvedPath(given) : given
    switch FileKind(path) {
    case .missing, .regular: return path
    case .symlink:
      throw DiagnosticError(Diagnostic(.error, "\(given) is a symlink that leads nowhere", location: given))
    case .directory, .other:
      throw DiagnosticError(
        Diagnostic(
          .error, "\(given) is not a pipeq store: it is not a regular file", location: given,
          help: "name a store file with --db, such as --db pipeline.pipeq"))
    }
  }

  /// A new, empty store when none is at `path`: its first snapshot takes the name only
  /// locked, so two processes creating one at once cannot both write to it.
  private func createIfMissing() throws(DiagnosticError) -> Opened? {
    guard !fileSystem.exists(path) else { return nil }
    guard !fileSystem.exists(journalPath) else {
      throw DiagnosticError(
        Diagnostic(
          .error, "\(path) is missing but its journal \(journalPath) exists; nothing was changed",
          location: path, help: "restore the store file from a backup"))
    }
    do {
      let temp = temporaryName(for: path)
      try fileSystem.writeDurably(temp, SnapshotFormat.encode(DealTable(), sequence: 0))
      guard let lock = try StoreLock.create(store: path, from: temp) else { return nil }
      self.lock = lock
      try fileSystem.syncFolder(of: path)
      journal = try Journal.create(path: journalPath, baseSequence: 0, fileSystem: fileSystem)
    } catch {
      throw fail(error)
    }
    journalCache = JournalCache()
    recordOpen()
    journalBase = 0
    return Opened(table: DealTable(), sequence: 0, notices: [])
  }

  /// Reads the snapshot and replays the journal. A reader that meets a writer's
  /// checkpoint between the two reads (a new snapshot's journal, or the old snapshot with
  /// the new journal) reads both again: it sees the state before or after, never fails.
  private func load(state: StoreState?) throws(DiagnosticError) -> Opened {
    // A snapshot written by an unfinished checkpoint was never the store.
    if !readOnly { fileSystem.remove(path + ".next") }
    var attempts = 0
    while true {
      var (table, sequence) = try readSnapshot()
      journalBase = sequence
      guard fileSystem.exists(journalPath) else {
        if readOnly { return Opened(table: table, sequence: sequence, notices: []) }
        do {
          journal = try Journal.create(path: journalPath, baseSequence: sequence, fileSystem: fileSystem)
        } catch { throw fail(error) }
        journalCache = JournalCache()
        return Opened(table: table, sequence: sequence, notices: [])
      }
      let journalBytes: [UInt8]
      do { journalBytes = try fileSystem.read(journalPath) } catch { throw fail(error) }
      let contents: JournalFormat.Contents
      do {
        contents = try JournalFormat.read(journalBytes)
      } catch {
        if case .damaged(let offset, _) = error, recover {
          try cutDamage(journalBytes, at: offset)
          continue
        }
        throw DiagnosticError(describeJournal(error, size: journalBytes.count))
      }
      if contents.baseSequence > sequence,
        try replayArchived(onto: &table, after: &sequence, through: contents.baseSequence)
      {
        snapshotBehind = !readOnly
      }
      guard contents.baseSequence <= sequence else {
        attempts += 1
        if readOnly && attempts < 200 {
          usleep(10_000)
          continue
        }
        throw DiagnosticError(
          Diagnostic(
            .error,
            "\(journalPath) starts after record \(contents.baseSequence) but \(path) only holds records up to \(sequence): records are missing; nothing was changed",
            location: journalPath))
      }
      journalBase = contents.baseSequence
      for record in contents.records where record.sequence > sequence {
        for mutation in record.mutations { table.apply(mutation) }
        sequence = record.sequence
      }
      guard let (goodSize, notices) = try settleTail(contents, journalBytes, state: state) else { continue }
      if !readOnly {
        do {
          journal = try Journal(path: journalPath, fileSystem: fileSystem, size: goodSize)
        } catch { throw fail(error) }
        journalCache = JournalCache(summaries: contents.records.map(\.summary))
        // Records are appended in the current format only: an older journal is closed
        // by a checkpoint (it stays readable in the history) before anything is added.
        if contents.version < JournalFormat.version { try checkpoint(table, sequence: sequence) }
      }
      return Opened(table: table, sequence: sequence, notices: notices)
    }
  }

  private func readSnapshot() throws(DiagnosticError) -> (DealTable, UInt64) {
    var size = 0
    do {
      // Read a block at a time: the file is never held whole beside the columns.
      var (table, sequence, version) = try fileSystem.readingRanges(path) { length, read in
        size = length
        return try SnapshotFormat.decodeSnapshot(size: length, read: read)
      }
      if version < 2 {
        // Written before stage history was kept: each deal's current stage, from the
        // day it entered it, is all that is known (an unknown day is kept as unknown).
        table.recordArrivals(of: table.ids, today: Day(number: DealTable.emptyDay))
      }
      return (table, sequence)
    } catch let error as FileError {
      throw fail(error)
    } catch let error as SnapshotFormat.DecodeError {
      throw DiagnosticError(describe(error, size: size))
    } catch {
      throw DiagnosticError(describe(.damaged(offset: 0, what: "\(error)"), size: size))
    }
  }

  /// Records that a writer has the store open, before anything is appended. When that
  /// cannot be written (a full disk) the state file is removed instead: nothing is then
  /// known, and the next open checks the journal as after a crash, as it always could.
  private func recordOpen() {
    do {
      try StoreState.open(pid: getpid()).write(store: path, fileSystem: fileSystem)
    } catch {
      fileSystem.remove(StoreState.path(of: path))
    }
  }

  /// Records that the store was closed cleanly, with the journal's length then: from
  /// now on a short or damaged journal tail is damage, not a crash. (If that cannot be
  /// written, the state is removed as in `recordOpen`.)
  public func close() {
    try? settleCheckpoint()
    guard let journal, stoppedBecause == nil, journal.stoppedBecause == nil else { return }
    do {
      try StoreState.closed(base: journalBase, length: journal.size).write(store: path, fileSystem: fileSystem)
    } catch {
      fileSystem.remove(StoreState.path(of: path))
    }
    self.journal = nil
    stoppedBecause = "the store was closed"
  }

  /// Whether writing to `target` would overwrite one of the store's own files (checked
  /// by name and, for files that exist, by identity, so a hard link is caught too).
  public func owns(_ target: String) -> Bool {
    let resolved = resolvedPath(target)
    let mine = resolvedPath(path)
    if resolved == mine || resolved.hasPrefix(mine + ".journal") || resolved.hasPrefix(mine + ".history/")
      || [mine + ".state", mine + ".next", mine + ".lock", mine + ".history"].contains(resolved)
      || resolved.hasPrefix(mine + ".tmp-")
    {
      return true
    }
    var wanted = stat()
    guard stat(target, &wanted) == 0, (wanted.st_mode & S_IFMT) == S_IFREG else { return false }
    return [path, journalPath, StoreState.path(of: path)].contains { own in
      var have = stat()
      return stat(own, &have) == 0 && have.st_ino == wanted.st_ino && have.st_dev == wanted.st_dev
    }
  }

  /// Appends one record and syncs it; when this returns the statement is durable.
  func append(_ record: JournalRecord) throws(DiagnosticError) {
    if let reason = stoppedBecause {
      throw DiagnosticError(Diagnostic(.error, "cannot write: \(reason); nothing was changed", location: path))
    }
    guard let journal else {
      throw DiagnosticError(Diagnostic(.error, "the store was opened read-only; nothing was changed", location: path))
    }
    do {
      try journal.append(JournalFormat.frame(record))
    } catch {
      throw DiagnosticError(Diagnostic(.error, "\(error.description); nothing was changed", location: journalPath))
    }
    journalCache?.add(record)
  }

  var journalSize: Int { journal?.size ?? 0 }

  /// Every record ever acknowledged, oldest first: archived journals, then the active one.
  /// With `only`, just those records are decoded in full and the rest are skipped.
  func allRecords(summariesOnly: Bool = false, only: Set<UInt64>? = nil) throws(DiagnosticError) -> [JournalRecord] {
    if let only, let known = journalCache?.records(only) { return known.sorted { $0.sequence < $1.sequence } }
    var records: [JournalRecord] = []
    var seen = Set<UInt64>()
    // A segment is named after its first sequence, so the files that can hold the wanted
    // records are known without reading the others.
    let segments = fileSystem.list(historyFolder).filter { $0.hasSuffix(".journal") }.sorted()
    var files: [(path: String, first: UInt64)] = segments.map {
      (historyFolder + "/" + $0, UInt64($0.dropLast(".journal".count)) ?? 0)
    }
    files.append((journalPath, journalBase + 1))
    for (index, file) in files.enumerated() where fileSystem.exists(file.path) {
      if let only {
        let end = index + 1 < files.count ? files[index + 1].first : UInt64.max
        guard only.contains(where: { $0 >= file.first && $0 < end }) else { continue }
      }
      let found = try self.records(in: file.path, archived: index + 1 < files.count, summariesOnly: summariesOnly)
      for record in found where only?.contains(record.sequence) ?? true {
        if seen.insert(record.sequence).inserted { records.append(record) }
      }
    }
    records.sort { $0.sequence < $1.sequence }
    if only != nil, !summariesOnly { journalCache?.remember(records.suffix(JournalCache.wholeRecords)) }
    return records
  }

  /// An archived segment's summaries read a chunk at a time (`JournalFormat.streamedSummaries`),
  /// for a segment big enough that reading it whole would weigh on memory; nil otherwise,
  /// or when the stream finds anything to say about the file (the whole read says it).
  private func streamedSummaries(_ file: String) throws(DiagnosticError) -> JournalFormat.Contents? {
    let fd: Int32
    do { fd = try fileSystem.openForReading(file) } catch { throw fail(error) }
    defer { fileSystem.close(fd) }
    let size = fileSystem.size(fd)
    guard size > 4 * JournalFormat.streamChunk else { return nil }
    do {
      return try JournalFormat.streamedSummaries(size: size) { (range: Range<Int>) throws(FileError) in
        try fileSystem.read(fd, at: range.lowerBound, count: range.count, path: file)
      }
    } catch {
      throw fail(error)
    }
  }

  /// One journal file's records. Archived segments never change, so their summaries
  /// are read once; a writer knows its active journal's summaries without reading it.
  func records(in file: String, archived: Bool, summariesOnly: Bool) throws(DiagnosticError)
    -> [JournalRecord]
  {
    if summariesOnly {
      if archived, let cached = summaryCache[file] { return cached.records }
      if !archived, let journalCache { return journalCache.summaries }
      if archived, let streamed = try streamedSummaries(file) {
        summaryCache[file] = streamed
        return streamed.records
      }
    }
    let bytes: [UInt8]
    do { bytes = try fileSystem.read(file) } catch { throw fail(error) }
    let contents: JournalFormat.Contents
    do {
      contents = try JournalFormat.read(bytes, summariesOnly: summariesOnly)
    } catch {
      throw DiagnosticError(describeJournal(error, size: bytes.count, file: file))
    }
    if archived && summariesOnly { summaryCache[file] = contents }
    return contents.records
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
