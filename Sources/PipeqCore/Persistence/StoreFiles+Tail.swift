#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The end of the journal on opening: a torn tail after a crash is cut off, damage is
/// refused (or cut off by `--recover`), and bytes cut off are kept aside and told of.
extension StoreFiles {
  /// What the end of the journal means: the size of its good part and what to tell, or
  /// nil when `--recover` cut damage off and the journal must be read again. Only after
  /// a crash can the last record be unfinished; after a clean close it is damage.
  func settleTail(_ contents: JournalFormat.Contents, _ bytes: [UInt8], state: StoreState?)
    throws(DiagnosticError) -> (Int, [String])?
  {
    var closedLength: Int?
    if case .closed(let base, let length) = state, base == contents.baseSequence { closedLength = length }
    switch contents.tail {
    case .clean:
      if let closedLength, bytes.count < closedLength {
        let what =
          "it is \(bytes.count) bytes long, but \(closedLength) when pipeq last closed the store cleanly: records at its end are missing"
        guard recover else { throw damage(what, at: bytes.count) }
        return (
          bytes.count,
          ["--recover: \(journalPath) was cut short after a clean close; the missing records cannot be brought back"]
        )
      }
      return (bytes.count, [])
    case .torn(let offset) where closedLength == nil:
      return (offset, try cutTornTail(bytes, at: offset))
    case .torn(let offset), .damaged(let offset):
      guard recover else {
        let reason =
          closedLength == nil
          ? "its last record is complete but fails its checksum"
          : "its last record is unfinished, though pipeq closed the store cleanly after writing it"
        throw damage(reason + describeRecord(in: bytes, at: offset), at: offset)
      }
      try cutDamage(bytes, at: offset)
      return nil
    }
  }

  func describeRecord(in bytes: [UInt8], at offset: Int) -> String {
    guard let (sequence, statement) = JournalFormat.statement(inDamagedRecordAt: offset, of: bytes) else { return "" }
    return " (record #\(sequence): \(statement))"
  }

  func damage(_ what: String, at offset: Int) -> DiagnosticError {
    DiagnosticError(
      Diagnostic(
        .error, "\(journalPath) is damaged at byte \(offset): \(what); nothing was changed",
        location: "\(journalPath) @ byte \(offset)",
        help:
          "restore the store from a backup, or run `pipeq --db \(path) --recover` to cut the damage off (its bytes are kept aside)"
      ))
  }

  /// After a crash: cuts the unfinished last record off, its bytes kept aside.
  func cutTornTail(_ bytes: [UInt8], at offset: Int) throws(DiagnosticError) -> [String] {
    let cut = bytes.count - offset
    if readOnly {
      return ["\(journalPath) ends in an unfinished record (\(cut) bytes at byte \(offset)); it was ignored"]
    }
    let keep = try cutJournal(bytes, at: offset, keptAs: "torn")
    return [
      "the last journal record was unfinished (a crash while writing?): cut \(cut) bytes off \(journalPath) at byte \(offset); they are kept in \(keep)"
    ]
  }

  /// `--recover`: cuts the journal at damage, its bytes from there on kept aside.
  func cutDamage(_ bytes: [UInt8], at offset: Int) throws(DiagnosticError) {
    guard !readOnly else { throw damage("a store opened read-only is not recovered", at: offset) }
    _ = try cutJournal(bytes, at: offset, keptAs: "damaged")
  }

  /// Keeps `bytes[offset...]` in a new file beside the journal, then cuts the journal
  /// there and syncs it. Returns the new file's name.
  func cutJournal(_ bytes: [UInt8], at offset: Int, keptAs kind: String) throws(DiagnosticError) -> String {
    let keep = "\(journalPath).\(kind)-\(time(nil))-" + String(UInt32.random(in: 1...UInt32.max), radix: 36)
    do {
      try fileSystem.writeDurably(keep, Array(bytes[offset...]))
      try fileSystem.syncFolder(of: keep)
      let fd = try fileSystem.openForAppend(journalPath)
      defer { fileSystem.close(fd) }
      try fileSystem.truncate(fd, to: offset, path: journalPath)
      try fileSystem.sync(fd, path: journalPath)
    } catch {
      throw fail(error, "; the store was not opened")
    }
    return keep
  }

  /// Bytes cut off the journal at an earlier open are told of at every open while
  /// they are kept, so a cut is never seen only once.
  func keptAsideNotices(except told: [String]) -> [String] {
    let name = journalPath.split(separator: "/").last.map(String.init) ?? journalPath
    let folderPath = folder(of: journalPath)
    var notices: [String] = []
    for file in fileSystem.list(folderPath) {
      let kind: String
      if file.hasPrefix(name + ".torn-") {
        kind = "an unfinished record cut off after a crash"
      } else if file.hasPrefix(name + ".damaged-") {
        kind = "damaged journal bytes cut off by --recover"
      } else {
        continue
      }
      let full = folderPath == "." ? file : folderPath + "/" + file
      guard !told.contains(where: { $0.contains(full) }) else { continue }
      let size = (try? fileSystem.read(full).count) ?? 0
      notices.append("\(full) holds \(size) bytes: \(kind); delete it once they are no longer needed")
    }
    return notices
  }
}
