/// How the store's files word what is wrong with them.
extension StoreFiles {
  func fail(_ error: FileError, _ what: String = "") -> DiagnosticError {
    DiagnosticError(Diagnostic(.error, error.description + what, location: path))
  }

  func inUse() -> DiagnosticError {
    var holder = "another pipeq"
    if case .open(let pid) = StoreState.read(store: path, fileSystem: fileSystem) { holder = "PID \(pid)" }
    return DiagnosticError(
      Diagnostic(
        .error, "store \(path) is in use by \(holder)", location: path,
        help: "wait for it to finish, or open the store with --read-only to read it"))
  }

  func describe(_ error: SnapshotFormat.DecodeError, size: Int) -> Diagnostic {
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

  func describeJournal(_ error: JournalFormat.ReadError, size: Int, file: String? = nil) -> Diagnostic {
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
