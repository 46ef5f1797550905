/// The store on disk. Opening verifies the snapshot completely before a single deal is
/// used; a damaged file is refused and never overwritten. Saving replaces the file
/// atomically, so a crash leaves the previous state or the new one, never a mix.
public final class StoreFile {
  public let path: String

  private init(path: String) { self.path = path }

  /// Opens the store at `path`, creating an empty one when the file is missing.
  public static func open(path: String) throws(DiagnosticError) -> (StoreFile, DealTable) {
    let file = StoreFile(path: path)
    guard FileIO.exists(path) else {
      let table = DealTable()
      try file.save(table)
      return (file, table)
    }
    let bytes: [UInt8]
    do {
      bytes = try FileIO.read(path)
    } catch {
      throw DiagnosticError(Diagnostic(.error, error.description, location: path))
    }
    do {
      return (file, try SnapshotFormat.decode(bytes))
    } catch {
      throw DiagnosticError(file.describe(error, size: bytes.count))
    }
  }

  public func save(_ table: DealTable) throws(DiagnosticError) {
    do {
      try FileIO.replaceAtomically(path, with: SnapshotFormat.encode(table))
    } catch {
      throw DiagnosticError(
        Diagnostic(.error, "\(error.description); nothing was changed", location: path))
    }
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
}
