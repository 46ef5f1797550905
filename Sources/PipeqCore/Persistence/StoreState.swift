/// `STORE.state`: whether the last writer closed the store cleanly, and the journal's
/// length then. It lives outside the journal so that cutting the journal short cannot
/// remove it: after a clean close a short or damaged tail is damage, never a crash.
///
///     open pid=1234                       a writer has it open (or crashed)
///     closed base=41 length=8812          closed cleanly; the journal after record 41
///                                         was 8812 bytes long
enum StoreState: Equatable {
  case open(pid: Int32)
  case closed(base: UInt64, length: Int)

  static func path(of store: String) -> String { store + ".state" }

  /// The state on disk; nil when the file is missing or unreadable (then nothing is
  /// known, and a torn tail is taken for a crash as it always could be).
  static func read(store: String, fileSystem: FileSystem) -> StoreState? {
    guard let bytes = try? fileSystem.read(path(of: store)) else { return nil }
    let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    func number(_ key: String) -> String? {
      words.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
    switch words.first {
    case "open": return number("pid").flatMap(Int32.init).map { .open(pid: $0) }
    case "closed":
      guard let base = number("base").flatMap(UInt64.init), let length = number("length").flatMap(Int.init) else {
        return nil
      }
      return .closed(base: base, length: length)
    default: return nil
    }
  }

  /// Writes the state durably (replaced atomically, the folder synced).
  func write(store: String, fileSystem: FileSystem) throws(FileError) {
    let text: String
    switch self {
    case .open(let pid): text = "open pid=\(pid)\n"
    case .closed(let base, let length): text = "closed base=\(base) length=\(length)\n"
    }
    try fileSystem.replaceAtomically(StoreState.path(of: store), with: Array(text.utf8))
  }
}
