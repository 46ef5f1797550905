/// The deal table and where it lives. `commit` is the single write path: a change is
/// made durable first and only then becomes visible in memory, so a failed write
/// leaves memory exactly as it was.
public final class Database {
  public private(set) var table: DealTable
  private let file: StoreFile?

  /// A store backed by a file (created when missing).
  public init(path: String) throws(DiagnosticError) {
    let (file, table) = try StoreFile.open(path: path)
    self.file = file
    self.table = table
  }

  /// A store in memory only, for tests.
  public init(table: DealTable = DealTable()) {
    self.file = nil
    self.table = table
  }

  public var path: String? { file?.path }

  public func commit(_ mutation: Mutation) throws(DiagnosticError) {
    guard !mutation.isEmpty else { return }
    var next = table
    next.apply(mutation)
    try file?.save(next)
    table = next
  }
}
