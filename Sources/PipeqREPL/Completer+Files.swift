import PipeqCore

/// Completion after a file path: `.import`'s options (`dates mdy|dmy`, `map "HEADER" =
/// FIELD` with the file's own headers), `.export`'s `raw` and `where`, and `.export
/// changes since #SEQ|DATE PATH`.
extension Completer {
  /// The words of a dot-command's arguments, quotes kept; the last is the one being
  /// typed ("" after a space).
  static func arguments(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    for character in text {
      if let open = quote {
        current.append(character)
        if character == open { quote = nil }
      } else if character == " " {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        if current.isEmpty && (character == "\"" || character == "'") { quote = character }
        current.append(character)
      }
    }
    return words + [current]
  }

  /// Candidates for the last word; nil when it is a path (the caller lists files).
  func fileOptions(_ command: String, _ words: [String]) -> Completion? {
    let partial = words.last ?? ""
    let before = Array(words.dropLast())
    let candidates: [String]
    switch command {
    case ".import": candidates = importOptions(before)
    case ".export":
      if before.first?.lowercased() == "changes" {
        switch before.count {
        case 1: candidates = ["since"]
        case 2: candidates = []
        case 3: return nil
        default: candidates = before.count == 4 ? ["raw"] : []
        }
      } else if before.isEmpty {
        guard "changes".hasPrefix(partial.lowercased()), !partial.isEmpty else { return nil }
        candidates = ["changes"]
      } else {
        candidates = before.last?.lowercased() == "raw" ? ["where"] : before.count == 1 ? ["raw", "where"] : []
      }
    default: candidates = []
    }
    return Completion(partial: partial, candidates: candidates.filter { $0.hasPrefix(partial) && $0 != partial })
  }

  private func importOptions(_ before: [String]) -> [String] {
    let last = before.last?.lowercased()
    let third = before.count >= 3 ? before[before.count - 3].lowercased() : nil
    let second = before.count >= 2 ? before[before.count - 2].lowercased() : nil
    if last == "dates" { return ["mdy", "dmy"] }
    if last == "map" { return readHeaders(Completer.unquoted(before[0])).map { "\"\($0)\"" } }
    if second == "map" { return ["="] }
    if third == "map" && last == "=" { return Field.stored.map(\.rawValue) }
    return ["dates", "map"]
  }

  static func unquoted(_ word: String) -> String {
    guard let first = word.first, first == "\"" || first == "'", word.count >= 2, word.last == first else {
      return word
    }
    return String(word.dropFirst().dropLast())
  }
}
