/// The files of one store and the order in which they are touched.
///
///     STORE              snapshot: every deal as of journal record `sequence`
///     STORE.journal      the records acknowledged since that snapshot
///     STORE.history/     earlier journals, kept whole: history, undo and `log` read them
///     STORE.lock         held by the one writer
///
/// Opening verifies everything before use and replays the journal; a torn last record
/// is cut off (its bytes kept aside), damage anywhere else refuses to open.
public final class StoreFiles {
  public let path: String
  public let readOnly: Bool
  /// The sequence the current journal starts after (names its history segment).
  private var journalBase: UInt64 = 0
  /// Record summaries of archived journal segments, by path.
  private var summaryCache: [String: JournalFormat.Contents] = [:]
  let fileSystem: FileSystem
  private var journal: Journal?
  private var lock: StoreLock?
  /// Set when a failure left the files in a state only a reopen sorts out.
  private var stoppedBecause: String?
  /// The journal size that triggers a checkpoint.
  public var checkpointBytes: Int

  var journalPath: String { path + ".journal" }
  var historyFolder: String { path + ".history" }

  public struct Opened {
    public var table: DealTable
    public var sequence: UInt64
    public var notices: [String]
  }

  private init(path: String, readOnly: Bool, fileSystem: FileSystem, checkpointBytes: Int) {
    self.path = path
    self.readOnly = readOnly
    self.fileSystem = fileSystem
    self.checkpointBytes = checkpointBytes
  }

  public static func open(
    path: String, readOnly: Bool = false, fileSystem: FileSystem = PosixFileSystem.shared,
    checkpointBytes: Int = 8 << 20
  ) throws(DiagnosticError) -> (StoreFiles, Opened) {
    let files = StoreFiles(path: path, readOnly: readOnly, fileSystem: fileSystem, checkpointBytes: checkpointBytes)
    if !readOnly { files.lock = try StoreLock.acquire(store: path) }
    let opened = try files.load()
    return (files, opened)
  }

  private func fail(_ error: FileError, _ what: String = "") -> DiagnosticError {
    DiagnosticError(Diagnostic(.error, error.description + what, location: path))
  }

  private func load() throws(DiagnosticError) -> Opened {
    let hasSnapshot = fileSystem.exists(path)
    let hasJournal = fileSystem.exists(journalPath)
    if !hasSnapshot {
      guard !hasJournal else {
        throw DiagnosticError(
          Diagnostic(
            .error, "\(path) is missing but its journal \(journalPath) exists; nothing was changed",
            location: path, help: "restore the store file from a backup"))
      }
      guard !readOnly else {
        throw DiagnosticError(Diagnostic(.error, "\(path) does not exist", location: path))
      }
      do {
        try fileSystem.replaceAtomically(path, with: SnapshotFormat.encode(DealTable(), sequence: 0))
        journal = try Journal.create(path: journalPath, baseSequence: 0, fileSystem: fileSystem)
        journalBase = 0
      } catch {
        throw fail(error)
      }
      return Opened(table: DealTable(), sequence: 0, notices: [])
    }
    // A snapshot written by an unfinished checkpoint was never the store.
    if !readOnly { fileSystem.remove(path + ".next") }
    let bytes: [UInt8]
    do { bytes = try fileSystem.read(path) } catch { throw fail(error) }
    var table: DealTable
    var sequence: UInt64
    do {
      let version: UInt32
      (table, sequence, version) = try SnapshotFormat.decodeSnapshot(bytes)
      if version < 2 {
        // Written before stage history was kept: each deal's current stage, from the
        // day it entered it, is all that is known (an unknown day is kept as unknown).
        table.recordArrivals(of: table.ids, today: Day(number: DealTable.emptyDay))
      }
    } catch {
      throw DiagnosticError(describe(error, size: bytes.count))
    }
    var notices: [String] = []
    journalBase = sequence
    guard hasJournal else {
      if !readOnly {
        do {
          journal = try Journal.create(path: journalPath, baseSequence: sequence, fileSystem: fileSystem)
          journalBase = sequence
        } catch { throw fail(error) }
      }
      return Opened(table: table, sequence: sequence, notices: notices)
    }
    let journalBytes: [UInt8]
    do { journalBytes = try fileSystem.read(journalPath) } catch { throw fail(error) }
    let contents: JournalFormat.Contents
    do {
      contents = try JournalFormat.read(journalBytes)
    } catch {
      throw DiagnosticError(describeJournal(error, size: journalBytes.count))
    }
    journalBase = contents.baseSequence
    guard contents.baseSequence <= sequence else {
      throw DiagnosticError(
        Diagnostic(
          .error,
          "\(journalPath) starts after record \(contents.baseSequence) but \(path) only holds records up to \(sequence): records are missing; nothing was changed",
          location: journalPath))
    }
    for record in contents.records where record.sequence > sequence {
      for mutation in record.mutations { table.apply(mutation) }
      sequence = record.sequence
    }
    var goodSize = journalBytes.count
    if case .torn(let offset) = contents.tail {
      goodSize = offset
      let cut = journalBytes.count - offset
      if readOnly {
        notices.append("\(journalPath) ends in an unfinished record (\(cut) bytes at byte \(offset)); it was ignored")
      } else {
        let keep = "\(journalPath).torn-\(time(nil))"
        do {
          try fileSystem.writeDurably(keep, Array(journalBytes[offset...]))
          let fd = try fileSystem.openForAppend(journalPath)
          defer { fileSystem.close(fd) }
          try fileSystem.truncate(fd, to: offset, path: journalPath)
          try fileSystem.sync(fd, path: journalPath)
        } catch {
          throw fail(error, "; the store was not opened")
        }
        notices.append(
          "the last journal record was unfinished (a crash while writing?): cut \(cut) bytes off \(journalPath) at byte \(offset); they are kept in \(keep)"
        )
      }
    }
    if !readOnly {
      do {
        journal = try Journal(path: journalPath, fileSystem: fileSystem, size: goodSize)
      } catch { throw fail(error) }
      // Records are appended in the current format only: an older journal is closed
      // by a checkpoint (it stays readable in the history) before anything is added.
      if contents.version < JournalFormat.version { try checkpoint(table, sequence: sequence) }
    }
    return Opened(table: table, sequence: sequence, notices: notices)
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
  }

  var journalSize: Int { journal?.size ?? 0 }

  /// Writes a new snapshot holding everything up to `sequence` and starts a fresh
  /// journal. The old snapshot stays until the new one is written, synced and read back
  /// equal; the old journal moves into the history folder.
  func checkpoint(_ table: DealTable, sequence: UInt64) throws(DiagnosticError) {
    guard journal != nil else {
      throw DiagnosticError(Diagnostic(.error, "the store was opened read-only", location: path))
    }
    let next = path + ".next"
    let bytes = SnapshotFormat.encode(table, sequence: sequence)
    do {
      try fileSystem.writeDurably(next, bytes)
      let back = try fileSystem.read(next)
      let same =
        back.count == bytes.count
        && back.withUnsafeBytes { read in
          bytes.withUnsafeBytes { written in
            read.isEmpty || memcmp(read.baseAddress!, written.baseAddress!, read.count) == 0
          }
        }
      guard same, (try? SnapshotFormat.decodeSnapshot(back))?.table == table else {
        fileSystem.remove(next)
        throw DiagnosticError(
          Diagnostic(.error, "the new snapshot did not read back equal; the store was left as it was", location: next))
      }
      try fileSystem.makeFolder(historyFolder)
      let segment = historyFolder + "/" + StoreFiles.segmentName(after: journalBase)
      if !fileSystem.exists(segment) { try fileSystem.link(journalPath, to: segment) }
      try fileSystem.syncFolder(of: segment)
      try fileSystem.rename(next, to: path)
      do {
        try fileSystem.syncFolder(of: path)
        journal = try Journal.create(path: journalPath, baseSequence: sequence, fileSystem: fileSystem)
        journalBase = sequence
      } catch {
        // The new snapshot is in place but the journal may not be: appending to the old
        // one could write into the archived copy. Stop writing; reopening is safe.
        journal = nil
        stoppedBecause = "a checkpoint could not start a new journal (\(error)); restart pipeq"
        throw error
      }
    } catch let error as FileError {
      fileSystem.remove(next)
      throw fail(error, "; the store was left as it was")
    } catch let error as DiagnosticError {
      throw error
    } catch {
      throw DiagnosticError(Diagnostic(.error, "\(error)", location: path))
    }
  }

  static func segmentName(after base: UInt64) -> String {
    let digits = String(base + 1)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".journal"
  }

  /// Every record ever acknowledged, oldest first: archived journals, then the active one.
  /// With `only`, just those records are decoded in full and the rest are skipped.
  func allRecords(summariesOnly: Bool = false, only: Set<UInt64>? = nil) throws(DiagnosticError) -> [JournalRecord] {
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
      let archived = index + 1 < files.count
      let contents: JournalFormat.Contents
      if archived, summariesOnly, let cached = summaryCache[file.path] {
        contents = cached
      } else {
        let bytes: [UInt8]
        do { bytes = try fileSystem.read(file.path) } catch { throw fail(error) }
        do {
          contents = try JournalFormat.read(bytes, summariesOnly: summariesOnly)
        } catch {
          throw DiagnosticError(describeJournal(error, size: bytes.count, file: file.path))
        }
        // Archived segments never change: their summaries are read once.
        if archived && summariesOnly { summaryCache[file.path] = contents }
      }
      for record in contents.records where only?.contains(record.sequence) ?? true {
        if seen.insert(record.sequence).inserted { records.append(record) }
      }
    }
    return records.sorted { $0.sequence < $1.sequence }
  }

  private func describe(_ error: SnapshotFormat.DecodeError, size: Int) -> Diagnostic {
    switch error {
    case .notASnapshot:
      return Diagnostic(
        .error, "\(path) is not a pipeq store (or its header is damaged); it was left untouched",
        location: path, help: "use --db to open another file, or move this one away")
    case .newerVersion(let version):
      return Diagnostic(
        .error,
        "\(path) was written by a newer pipeq (store format \(version); this pipeq reads up to \(SnapshotFormat.version))",
        location: path, help: "upgrade pipeq to open it; the file was left untouched")
    case .damaged(let offset, let what):
      return Diagnostic(
        .error, "\(path) is damaged at byte \(offset) of \(size): \(what); it was left untouched",
        location: "\(path) @ byte \(offset)", help: "restore it from a backup or an export")
    }
  }

  private func describeJournal(_ error: JournalFormat.ReadError, size: Int, file: String? = nil) -> Diagnostic {
    let name = file ?? journalPath
    switch error {
    case .notAJournal:
      return Diagnostic(
        .error, "\(name) is not a pipeq journal (or its header is damaged); nothing was changed", location: name)
    case .newerVersion(let version):
      return Diagnostic(
        .error, "\(name) was written by a newer pipeq (journal format \(version)); nothing was changed",
        location: name, help: "upgrade pipeq to open it")
    case .damaged(let offset, let what):
      return Diagnostic(
        .error, "\(name) is damaged at byte \(offset) of \(size): \(what); nothing was changed",
        location: "\(name) @ byte \(offset)", help: "restore the store from a backup or an export")
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
