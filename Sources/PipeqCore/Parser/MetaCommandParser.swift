/// Dot-commands take paths and raw words, so they are split by hand rather than lexed
/// as statements; only the filter of `.export` goes through the statement parser.
enum MetaCommandParser {
  static func parse(_ source: SourceText, span: Span) throws(DiagnosticError) -> MetaCommand? {
    let bytes = source.bytes
    var offset = span.start
    while offset < span.end, bytes[offset] == 32 || bytes[offset] == 9 || bytes[offset] == 10 || bytes[offset] == 13 {
      offset += 1
    }
    guard offset < span.end, bytes[offset] == UInt8(ascii: ".") else { return nil }
    let nameStart = offset
    offset += 1
    while offset < span.end, !isSpace(bytes[offset]) { offset += 1 }
    let nameSpan = Span(nameStart, offset)
    let name = String(source.slice(nameSpan).dropFirst()).lowercased()
    var arguments = Arguments(source: source, offset: offset, end: trimmedEnd(source, span))
    if let files = try fileCommand(name, &arguments, source) { return files }
    return try sessionCommand(name, nameSpan, &arguments, source)
  }

  /// The commands that read or write files; nil for the others.
  private static func fileCommand(_ name: String, _ arguments: inout Arguments, _ source: SourceText)
    throws(DiagnosticError) -> MetaCommand?
  {
    switch name {
    case "import":
      let (path, pathSpan) = try arguments.path(for: ".import")
      return .importFile(path: path, span: pathSpan, options: try importOptions(&arguments, source))
    case "export":
      if let changes = try exportChanges(&arguments, source) { return changes }
      return try export(&arguments, source)
    case "read":
      let (path, pathSpan) = try arguments.path(for: ".read")
      try arguments.expectEnd()
      return .read(path: path, span: pathSpan)
    case "export-defs":
      let (path, pathSpan) = try arguments.path(for: ".export-defs")
      try arguments.expectEnd()
      return .exportDefinitions(path: path, span: pathSpan)
    default:
      return nil
    }
  }

  /// `.export PATH [raw] [where FILTER]`.
  private static func export(_ arguments: inout Arguments, _ source: SourceText) throws(DiagnosticError)
    -> MetaCommand
  {
    let (path, pathSpan) = try arguments.path(for: ".export")
    var filter: FilterExpr?
    var word = arguments.word()
    let raw = word?.text.lowercased() == "raw"
    if raw { word = arguments.word() }
    if let word {
      guard word.text.lowercased() == "where" else {
        throw DiagnosticError(
          .error("expected 'raw' or 'where' after the path, found '\(word.text)'", at: word.span, in: source))
      }
      filter = try Parser.parseFilter(source, span: Span(arguments.offset, arguments.end))
    }
    return .exportFile(path: path, span: pathSpan, filter: filter, raw: raw)
  }

  /// The session's commands and the report settings.
  private static func sessionCommand(
    _ name: String, _ nameSpan: Span, _ arguments: inout Arguments, _ source: SourceText
  ) throws(DiagnosticError) -> MetaCommand {
    switch name {
    case "mode":
      guard let word = arguments.word() else {
        throw DiagnosticError(.error(".mode needs table, csv or json", at: nameSpan, in: source))
      }
      try arguments.expectEnd()
      return .mode(word.text.lowercased(), span: word.span)
    case "now":
      let word = arguments.word()
      try arguments.expectEnd()
      return .now(word?.text, span: word?.span ?? nameSpan)
    case "timer":
      let word = arguments.word()
      try arguments.expectEnd()
      switch word?.text.lowercased() {
      case "on": return .timer(true)
      case "off": return .timer(false)
      default:
        throw DiagnosticError(.error(".timer takes on or off", at: word?.span ?? nameSpan, in: source))
      }
    case "output", "out":
      let word = arguments.word()
      try arguments.expectEnd()
      return .output(path: word?.text, span: word?.span ?? nameSpan)
    case "checkpoint":
      try arguments.expectEnd()
      return .checkpoint
    case "help":
      let topic = arguments.word()?.text.lowercased()
      return .help(topic: topic)
    case "quit", "exit", "q":
      return .quit
    case "rows":
      let word = arguments.word()
      try arguments.expectEnd()
      guard let word else { return .rows(limit: nil) }
      if word.text.lowercased() == "all" { return .rows(limit: .all) }
      guard let count = Int(word.text), count > 0 else {
        throw DiagnosticError(.error(".rows takes a number of rows or all", at: word.span, in: source))
      }
      return .rows(limit: .first(count))
    case "pager":
      let word = arguments.word()
      try arguments.expectEnd()
      switch word?.text.lowercased() {
      case nil: return .pager(nil)
      case "on": return .pager(true)
      case "off": return .pager(false)
      default: throw DiagnosticError(.error(".pager takes on or off", at: word!.span, in: source))
      }
    case "schema":
      let kind = arguments.word().map { TextLiteral(text: $0.text, span: $0.span) }
      try arguments.expectEnd()
      return .schema(kind: kind)
    case "currency", "rate", "probability", "rotting":
      var words: [TextLiteral] = []
      while let word = arguments.word() { words.append(TextLiteral(text: word.text, span: word.span)) }
      let most = name == "currency" ? 1 : 2
      guard words.count <= most else {
        throw DiagnosticError(.error("unexpected '\(words[most].text)'", at: words[most].span, in: source))
      }
      return .setting(MetaCommand.Setting(rawValue: name)!, words: words, span: nameSpan)
    default:
      let hint = Suggestion.nearest(to: name, in: Keywords.metaCommands).map { "did you mean '.\($0)'?" }
      throw DiagnosticError(.error("unknown command '.\(name)'", at: nameSpan, in: source, help: hint))
    }
  }

  /// `dates mdy|dmy` and `map "HEADER" = FIELD` after `.import PATH`, in any order.
  private static func importOptions(_ arguments: inout Arguments, _ source: SourceText) throws(DiagnosticError)
    -> ImportOptions
  {
    var options = ImportOptions()
    while let word = arguments.word() {
      switch word.text.lowercased() {
      case "dates":
        guard let order = arguments.word(), let value = DateColumn.Order(rawValue: order.text.lowercased()),
          value == .mdy || value == .dmy
        else {
          throw DiagnosticError(.error("dates takes mdy or dmy", at: word.span, in: source))
        }
        options.dateOrder = value
      case "map":
        guard let header = arguments.word(), arguments.word()?.text == "=", let name = arguments.word() else {
          throw DiagnosticError(
            .error("map takes a header and a field: map \"Potential Owner\" = owner", at: word.span, in: source))
        }
        guard let field = Field(rawValue: name.text.lowercased()), Field.stored.contains(field) else {
          throw DiagnosticError(
            .error(
              "'\(name.text)' is not a field a column can fill", at: name.span, in: source,
              help: "fields: " + Field.stored.map(\.rawValue).joined(separator: ", ")))
        }
        options.mappings[header.text] = field
      default:
        throw DiagnosticError(
          .error("expected dates or map after the path, found '\(word.text)'", at: word.span, in: source))
      }
    }
    return options
  }

  /// `.export changes since #SEQ|DATE PATH [raw]`; nil (nothing read) for a plain export.
  private static func exportChanges(_ arguments: inout Arguments, _ source: SourceText) throws(DiagnosticError)
    -> MetaCommand?
  {
    let start = arguments.offset
    guard let first = arguments.word(), first.text.lowercased() == "changes",
      let since = arguments.word(), since.text.lowercased() == "since"
    else {
      arguments.offset = start
      return nil
    }
    guard let cut = arguments.word() else {
      throw DiagnosticError(
        .error(
          "since what? give a history number or a date", at: Span(since.span.end, since.span.end), in: source,
          help: ".export changes since #12 changes.csv, or since 2026-06-01 (`history` lists the numbers)"))
    }
    let from: ChangesSince
    if cut.text.hasPrefix("#"), let sequence = UInt64(cut.text.dropFirst()) {
      from = .sequence(sequence, span: cut.span)
    } else if let day = Day(iso: cut.text) {
      from = .day(day, span: cut.span)
    } else {
      throw DiagnosticError(
        .error(
          "'\(cut.text)' is neither a history number nor a date", at: cut.span, in: source,
          help: "write #12 (a number `history` lists) or a date such as 2026-06-01"))
    }
    let (path, pathSpan) = try arguments.path(for: ".export changes")
    let word = arguments.word()
    guard word == nil || word?.text.lowercased() == "raw" else {
      throw DiagnosticError(
        .error("expected 'raw' or the end after the path, found '\(word!.text)'", at: word!.span, in: source))
    }
    return .exportChanges(since: from, path: path, span: pathSpan, raw: word != nil)
  }

  private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

  /// The end of the command without a trailing `;` or comment.
  private static func trimmedEnd(_ source: SourceText, _ span: Span) -> Int {
    var end = span.end
    while end > span.start, isSpace(source.bytes[end - 1]) || source.bytes[end - 1] == UInt8(ascii: ";") {
      end -= 1
    }
    return end
  }

  struct Arguments {
    let source: SourceText
    var offset: Int
    let end: Int

    mutating func skipSpace() {
      while offset < end, MetaCommandParser.isSpace(source.bytes[offset]) { offset += 1 }
    }

    /// A word or quoted text; nil at the end.
    mutating func word() -> (text: String, span: Span)? {
      skipSpace()
      guard offset < end else { return nil }
      let start = offset
      let quote = source.bytes[offset]
      if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
        offset += 1
        while offset < end, source.bytes[offset] != quote { offset += 1 }
        let text = source.slice(Span(start + 1, offset))
        offset = min(offset + 1, end)
        return (text, Span(start, offset))
      }
      while offset < end, !MetaCommandParser.isSpace(source.bytes[offset]) { offset += 1 }
      return (source.slice(Span(start, offset)), Span(start, offset))
    }

    mutating func path(for command: String) throws(DiagnosticError) -> (String, Span) {
      guard let word = word() else {
        throw DiagnosticError(.error("\(command) needs a file path", at: Span(end, end), in: source))
      }
      return word
    }

    mutating func expectEnd() throws(DiagnosticError) {
      let before = offset
      if let extra = word() {
        offset = before
        throw DiagnosticError(.error("unexpected '\(extra.text)'", at: extra.span, in: source))
      }
    }
  }
}
