#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The deal table and where it lives. `commit` is the single write path: the change is
/// appended to the journal and synced first, and only then applied to memory, so a
/// failed write leaves memory exactly as it was.
public final class Database {
  public private(set) var table: DealTable
  /// The last acknowledged journal record.
  public private(set) var sequence: UInt64
  /// What opening had to say (a torn journal tail that was cut off).
  public let openNotices: [String]
  private let files: StoreFiles?
  /// Records of an in-memory database; a file-backed one reads its journals.
  private var memoryRecords: [JournalRecord] = []
  /// The user recorded with each change.
  public var user: String = Database.currentUser()
  /// Seconds since 1970 for records; tests fix it.
  public var clock: () -> Int64 = { Int64(time(nil)) }
  /// While a batch is open (`--atomic`), changes apply in memory only; the batch is
  /// written as one record at the end, or dropped.
  private var batch: (mutations: [Mutation], before: DealTable)?
  /// A checkpoint asked for inside a batch: it runs once the batch is written, since a
  /// snapshot must never hold changes that are not yet acknowledged.
  private var checkpointAfterBatch = false

  /// A store backed by files at `path` (created when missing).
  /// With `recover`, damage in the journal is cut off (its bytes kept aside and told of)
  /// instead of refusing to open.
  public init(
    path: String, readOnly: Bool = false, recover: Bool = false, fileSystem: FileSystem = PosixFileSystem.shared,
    checkpointBytes: Int = 8 << 20
  ) throws(DiagnosticError) {
    let (files, opened) = try StoreFiles.open(
      path: path, readOnly: readOnly, recover: recover, fileSystem: fileSystem, checkpointBytes: checkpointBytes)
    self.files = files
    self.table = opened.table
    self.sequence = opened.sequence
    self.openNotices = opened.notices
  }

  /// The `--db` name of a store kept in memory only (sqlite3's name for it): a quick look
  /// at a spreadsheet without leaving a file behind. Undo works until pipeq exits.
  public static let memoryName = ":memory:"

  /// A store in memory only: nothing is written, nothing survives the process.
  public init(table: DealTable = DealTable()) {
    self.files = nil
    self.table = table
    self.sequence = 0
    self.openNotices = []
  }

  /// A scratch copy in memory of `other`, for checking a script before it runs: its
  /// changes stay here, and its history is `other`'s followed by its own.
  public init(scratchOf other: Database) {
    self.files = nil
    self.table = other.table
    self.sequence = other.sequence
    self.openNotices = []
    self.user = other.user
    self.clock = other.clock
    self.original = other
  }

  /// The database a scratch copy was made of.
  private var original: Database?

  public var path: String? { files?.path ?? original?.path }

  /// Whether writing to `target` would overwrite one of the store's own files.
  public func owns(_ target: String) -> Bool { files?.owns(target) ?? original?.owns(target) ?? false }

  /// Records a clean close: after it, a journal found short or damaged is damage, not a
  /// crash. A database dropped without closing is treated as a crash.
  public func close() { files?.close() }

  /// Makes a change durable, then applies it. Returns the record's sequence number.
  @discardableResult
  public func commit(_ mutation: Mutation, kind: JournalRecord.Kind = .action) throws(DiagnosticError) -> UInt64 {
    try commit([mutation], kind: kind, targets: [])
  }

  @discardableResult
  func commit(_ mutations: [Mutation], kind: JournalRecord.Kind, targets: [UInt64], statement: String? = nil)
    throws(DiagnosticError) -> UInt64
  {
    guard mutations.contains(where: { !$0.isEmpty }) else { return sequence }
    try MoneyBound.check(table, mutations)
    if batch != nil {
      guard kind == .action || kind == .importFile else {
        throw DiagnosticError(.error("undo and redo are not available inside an --atomic script"))
      }
      for mutation in mutations { table.apply(mutation) }
      batch!.mutations += mutations
      return sequence
    }
    var record = JournalRecord(
      sequence: sequence + 1, time: clock(), user: user, kind: kind, targets: targets, mutations: mutations)
    if let statement { record.statement = statement }
    if let files {
      try files.append(record)
    } else {
      memoryRecords.append(record)
    }
    for mutation in mutations { table.apply(mutation) }
    sequence = record.sequence
    // The change is already durable; a checkpoint it starts runs in the background.
    files?.checkpointIfDue(table, sequence: sequence)
    return record.sequence
  }

  /// Starts collecting changes for one all-or-nothing record.
  public func beginBatch() {
    batch = ([], table)
  }

  /// Writes the batch's changes as one record (one sync); on failure nothing stays.
  public func commitBatch(statement: String) throws(DiagnosticError) {
    guard let open = batch else { return }
    batch = nil
    defer { checkpointAfterBatch = false }
    if !open.mutations.isEmpty {
      // Replayed from the state before the batch, so memory and journal agree.
      table = open.before
      try commit(open.mutations, kind: .action, targets: [], statement: statement)
    }
    if checkpointAfterBatch { try checkpoint() }
  }

  /// Drops the batch: memory goes back to how it was before it.
  public func abortBatch() {
    guard let open = batch else { return }
    table = open.before
    batch = nil
    checkpointAfterBatch = false
  }

  /// Writes a snapshot of everything and starts a fresh journal; inside a batch, once
  /// the batch is written. Returns false when it was put off so.
  @discardableResult
  public func checkpoint(progress: WorkProgress? = nil) throws(DiagnosticError) -> Bool {
    guard let files else { return true }
    guard batch == nil else {
      checkpointAfterBatch = true
      return false
    }
    try files.checkpoint(table, sequence: sequence, progress: progress)
    return true
  }

  /// Waits for a checkpoint running in the background, if any; throws what made it fail
  /// (nothing is lost then: the journal and its history hold every change).
  public func finishCheckpoint() throws(DiagnosticError) {
    try files?.settleCheckpoint()
  }

  /// Every acknowledged change, oldest first, with its effects.
  public func records() throws(DiagnosticError) -> [JournalRecord] {
    guard let files else { return try (original?.records() ?? []) + memoryRecords }
    return try files.allRecords()
  }

  /// Every acknowledged change, oldest first; file-backed stores skip decoding effects.
  public func recordSummaries() throws(DiagnosticError) -> [JournalRecord] {
    guard let files else { return try (original?.recordSummaries() ?? []) + memoryRecords }
    return try files.allRecords(summariesOnly: true)
  }

  /// The named records with their effects.
  public func records(_ sequences: Set<UInt64>) throws(DiagnosticError) -> [UInt64: JournalRecord] {
    let list =
      files == nil
      ? try (original?.records(sequences).values.map { $0 } ?? [])
        + memoryRecords.filter {
          sequences.contains($0.sequence)
        }
      : try files!.allRecords(only: sequences)
    return Dictionary(list.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
  }

  static func currentUser() -> String {
    if let name = getenv("USER"), let user = String(validatingCString: name), !user.isEmpty { return user }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid \(geteuid())"
  }
}
