import Foundation
import PipeqCore

/// Context-aware Tab completion: statement keywords at the start, field names after
/// `where`, `and`, `or`, `by`, the store's own values after `stage =`, `owner =`,
/// dot-commands after `.`, file paths after `.import` / `.export` / `.read`.
/// Pure: the line editor asks it and applies the answer.
public struct Completer {
  public struct Completion: Equatable {
    /// The partial word the candidates replace.
    public var partial: String
    public var candidates: [String]
  }

  /// What the store can offer as values (the core builds it from the store).
  public typealias Vocabulary = CompletionVocabulary

  public var vocabulary: Vocabulary
  /// Lists a folder's entries for path completion (names; folders end in "/").
  public var listFolder: (String) -> [String]
  /// A CSV file's header cells, for `map "HEADER"` after `.import FILE`.
  public var readHeaders: (String) -> [String]

  public init(
    vocabulary: Vocabulary, listFolder: @escaping (String) -> [String] = { _ in [] },
    readHeaders: @escaping (String) -> [String] = { _ in [] }
  ) {
    self.vocabulary = vocabulary
    self.listFolder = listFolder
    self.readHeaders = readHeaders
  }

  static let metaCommands = Keywords.metaCommands.map { "." + $0 }
  static let afterTest = ["and", "or", "order by", "limit"]
  /// Where a period can go: after a date field's `in`, and after a report.
  static let periods = ["this", "last", "between"]

  /// Candidates for the word ending at the end of `text` (the line up to the cursor).
  public func complete(_ text: String) -> Completion {
    if text.drop(while: { $0 == " " }).hasPrefix(".") { return completeMeta(text) }
    let (words, partial, quoted) = Completer.split(text)
    let lower = words.map { $0.lowercased() }
    var candidates = candidates(after: lower, quoted: quoted)
    if quoted {
      // Inside an open quote: offer the bare values.
      candidates = candidates.map {
        $0.hasPrefix("'") ? String($0.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") : $0
      }
    }
    let matching = candidates.filter { $0.lowercased().hasPrefix(partial.lowercased()) && $0 != partial }
    return Completion(partial: partial, candidates: uniqued(matching))
  }

  private func candidates(after words: [String], quoted: Bool) -> [String] {
    guard let last = words.last else { return Keywords.statements + vocabulary.savedStatements }
    let fields = Field.allNames
    if last == "in", words.count >= 2, let field = Field(named: words[words.count - 2]), field.kind == .date {
      // `closed in …`: a period.
      return Completer.periods
    }
    if ["=", "!=", "(", ","].contains(last) || (last == "in" && words.count >= 2) {
      // A value after `FIELD =` or inside `FIELD in (`.
      if let field = fieldBeforeOperator(words), let values = values(for: field) { return values }
      if last == "," || last == "(" {
        if words.contains("by") || words.first == "list" && !words.contains("where") { return fields }
      }
      if last == "," && (words.first == "tag" || words.first == "untag") { return vocabulary.values[.tags] ?? [] }
    }
    if Completer.isShaping(words) { return shapingCandidates(words) }
    if words.first == "add" { return addCandidates(words) }
    if quoted { return [] }
    switch last {
    case "where", "and", "or", "not": return fields + vocabulary.savedFilters
    case "by": return fields
    case "list": return fields + ["where", "order by", "limit"]
    case "count": return ["where", "by"]
    case "sum", "avg", "min", "max", "median":
      return ["value", "weighted", "probability", "age", "stage_age", "idle", "created", "closed"]
    case "board": return vocabulary.pipelines + ["where", "as of"]
    case "funnel": return vocabulary.pipelines + Completer.periods + ["strict", "where"]
    case "health", "team": return Completer.periods + ["where"]
    case "stale": return ["where", "limit"]
    case "trend": return ["count", "value", "weighted", "idle", "age"]
    case "this", "last": return ["week", "month", "quarter", "year"]
    case "week", "month", "quarter",
      "year" where Keywords.reports.contains(words.first ?? ""):
      return (words.first == "funnel" ? ["strict"] : []) + ["where"]
    case "close": return ["won", "lost"]
    case "won",
      "lost" where words.first == "close":
      return ["where", "reason"]
    case "move": return ["stage", "to"] + vocabulary.stages
    case "to": return vocabulary.stages
    case "tag", "untag": return vocabulary.values[.tags] ?? []
    case "set":
      return fields.filter { !["id", "status", "age", "stage_age", "idle", "stage", "pipeline", "tags"].contains($0) }
    case "order": return ["by"]
    case "explain": return Keywords.statements.filter { $0 != "explain" }
    case "undo": return []
    case "show": return ["where"]
    case "is": return ["empty", "not empty"]
    default: break
    }
    if fields.contains(last) {
      if words.count >= 2, ["by", "list", ","].contains(words[words.count - 2]) {
        return [",", "where", "order by", "limit"]
      }
      return ["=", "!=", "<", ">", "~", "in", "between", "is"]
    }
    // After a complete test: join it, order it or limit it.
    if words.count >= 3, ["=", "!=", "<", "<=", ">", ">=", "~", "!~"].contains(words[words.count - 2]) {
      return Completer.afterTest
    }
    return Keywords.statements
  }

  /// Statements that shape pipelines: `create pipeline`, `rename|remove pipeline|stage`,
  /// `add|move|set stage`.
  static func isShaping(_ words: [String]) -> Bool {
    guard let first = words.first else { return false }
    if ["create", "rename", "remove"].contains(first) { return true }
    return words.count >= 2 && words[1] == "stage" && ["add", "move", "set"].contains(first)
  }

  /// Their next word: the object, then stage and pipeline names where they go, then the
  /// clauses (`before`, `after`, `in`, `into`, `to`, the settings and kinds).
  private func shapingCandidates(_ words: [String]) -> [String] {
    let first = words[0]
    let last = words[words.count - 1]
    guard words.count >= 2 else {
      return first == "create" ? ["pipeline"] : ["pipeline", "stage"]
    }
    let names = vocabulary.stages.map(Quoting.word)
    let pipelines = vocabulary.pipelines.map(Quoting.word)
    switch last {
    case "pipeline" where words.count == 2: return first == "create" ? [] : pipelines
    case "stage" where words.count == 2: return first == "add" ? [] : names
    case "in": return pipelines
    case "before", "after", "into": return names
    case "kind": return DealStatus.allCases.map(\.rawValue)
    case "probability", "rotting", "to", "stages": return []
    default: break
    }
    guard words.count >= 3 else { return [] }
    if first == "set" { return words.count == 3 ? ["kind", "probability", "rotting"] : ["in"] }
    let given = Set(words)
    switch first {
    case "add", "move": return ["before", "after", "in"].filter { !given.contains($0) }
    case "rename": return words.count == 3 ? ["to"] : words[1] == "stage" ? ["in"] : []
    case "remove": return words[1] == "stage" ? ["in", "into"].filter { !given.contains($0) } : []
    case "create": return words.count == 3 ? ["stages"] : []
    default: return []
    }
  }

  /// `add deal NAME FIELD VALUE … [in PIPELINE]`: after a field its values, after a
  /// value the fields a new deal takes.
  private func addCandidates(_ words: [String]) -> [String] {
    guard words.count >= 2 else { return ["deal", "stage"] }
    guard words.count >= 3 else { return [] }
    let last = words[words.count - 1]
    if last == "in" { return vocabulary.pipelines }
    // Words after the name come in pairs: a field (or `in`) and its value.
    if (words.count - 3) % 2 == 1 { return Field(named: last).flatMap(values(for:)) ?? [] }
    let given = Set(stride(from: 3, to: words.count, by: 2).map { words[$0] })
    let takes = Field.stored.filter { ($0.isSettable || $0 == .stage || $0 == .tags) && $0 != .name }.map(\.rawValue)
    return (takes + ["in"]).filter { !given.contains($0) }
  }

  private func fieldBeforeOperator(_ words: [String]) -> Field? {
    // Walk back over an `in (a, b,` list to the field before the operator.
    var index = words.count - 1
    while index > 0 {
      let word = words[index]
      if ["=", "!=", "in"].contains(word) {
        var fieldIndex = index - 1
        if fieldIndex >= 0, words[fieldIndex] == "not" { fieldIndex -= 1 }
        return fieldIndex >= 0 ? Field(named: words[fieldIndex]) : nil
      }
      if ["where", "and", "or"].contains(word) { return nil }
      index -= 1
    }
    return nil
  }

  private func values(for field: Field) -> [String]? {
    guard field.completesValues else { return nil }
    let raw: [String]
    switch field {
    case .stage: raw = vocabulary.stages
    case .pipeline: raw = vocabulary.pipelines
    case .status: raw = DealStatus.allCases.map(\.rawValue)
    default: raw = vocabulary.values[field] ?? []
    }
    return raw.map { Quoting.word($0) }
  }

  private func completeMeta(_ text: String) -> Completion {
    let trimmed = String(text.drop(while: { $0 == " " }))
    guard let space = trimmed.firstIndex(of: " ") else {
      return Completion(
        partial: trimmed,
        candidates: Completer.metaCommands.filter { $0.hasPrefix(trimmed.lowercased()) && $0 != trimmed })
    }
    let command = trimmed[..<space].lowercased()
    var argument = String(trimmed[trimmed.index(after: space)...].drop(while: { $0 == " " }))
    switch command {
    case ".import", ".export", ".read":
      let words = Completer.arguments(argument)
      if words.count > 1 || command == ".export" {
        if let options = fileOptions(command, words) { return options }
        argument = words.last ?? ""
      }
      let folder = argument.contains("/") ? String(argument[...argument.lastIndex(of: "/")!]) : ""
      let name =
        argument.contains("/") ? String(argument[argument.index(after: argument.lastIndex(of: "/")!)...]) : argument
      let entries = listFolder(folder.isEmpty ? "." : folder).filter {
        $0.hasPrefix(name) && !$0.hasPrefix(".") || name.hasPrefix(".") && $0.hasPrefix(name)
      }
      return Completion(partial: name, candidates: entries.filter { $0 != name })
    case ".mode":
      return Completion(
        partial: argument,
        candidates: ["table", "csv", "json", "line"].filter { $0.hasPrefix(argument) && $0 != argument })
    case ".timer":
      return Completion(
        partial: argument, candidates: ["on", "off"].filter { $0.hasPrefix(argument) && $0 != argument })
    case ".help":
      let topics = ["actions", "dates", "filters", "import", "reports", "history"]
      return Completion(partial: argument, candidates: topics.filter { $0.hasPrefix(argument) && $0 != argument })
    default: return Completion(partial: argument, candidates: [])
    }
  }

  /// Words before the cursor (operators as their own words) and the partial word.
  static func split(_ text: String) -> (words: [String], partial: String, quoted: Bool) {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var quotedStart = false
    for character in text {
      if let open = quote {
        if character == open {
          quote = nil
          words.append(current)
          current = ""
        } else {
          current.append(character)
        }
        continue
      }
      switch character {
      case "'", "\"":
        if !current.isEmpty { words.append(current) }
        current = ""
        quote = character
        quotedStart = true
      case " ", "\t", "\n":
        if !current.isEmpty { words.append(current) }
        current = ""
        quotedStart = false
      case "(", ")", ",", ";":
        if !current.isEmpty { words.append(current) }
        words.append(String(character))
        current = ""
        if character == ";" { words.removeAll() }
      case "=", "!", "<", ">", "~":
        if !current.isEmpty, !"=!<>~".contains(current.last!) { words.append(current); current = "" }
        current.append(character)
      default:
        if let last = current.last, "=!<>~".contains(last) {
          words.append(current)
          current = ""
        }
        current.append(character)
      }
    }
    if let last = current.last, "=!<>~".contains(last) {
      words.append(current)
      current = ""
    }
    return (words, current, quote != nil && quotedStart)
  }
}

/// Keeps the first of each string, in order.
private func uniqued(_ items: [String]) -> [String] {
  var seen = Set<String>()
  return items.filter { seen.insert($0).inserted }
}
