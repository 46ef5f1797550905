import Foundation

/// Splits text into statements. A statement ends at `;` or at the end of a line,
/// unless it continues: a parenthesis or quote is open, or the line ends in `and`,
/// `or`, `,` or `\`. A line starting with `.` is a dot-command and ends at the line's
/// end. `#` starts a comment. Shared by scripts, stdin and the REPL so they agree, and
/// quoted text and comments are found by the lexer's own rules (`Lexer.endOfText`,
/// `Lexer.startsComment`), so a statement the lexer reads whole is never cut.
public enum StatementSplitter {
  public static func split(_ source: SourceText) -> [Span] {
    var spans: [Span] = []
    var state = State()
    var start = 0
    let bytes = source.bytes
    var index = 0
    // Where the current line starts: the continuation check reads that line only.
    var lineStart = 0
    func finish(_ end: Int) {
      if let span = trimmed(source, Span(start, end)) { spans.append(span) }
      start = end + 1
      state = State()
    }
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        guard !isMeta(source, start) else { break }
        // Quoted text may hold newlines and `;`; unclosed, it runs to the end.
        index = Lexer.endOfText(bytes, from: index + 1, end: bytes.count, quote: byte) ?? bytes.count
        continue
      case UInt8(ascii: "("): state.depth += 1
      case UInt8(ascii: ")"): state.depth = max(0, state.depth - 1)
      case UInt8(ascii: "#") where Lexer.startsComment(bytes, at: index, end: bytes.count):
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        continue
      case UInt8(ascii: ";"):
        finish(index)
      case UInt8(ascii: "\n"):
        if isMeta(source, start)
          || (state.depth == 0 && !continues(source, Span(max(start, lineStart), index))
            && !nextLineContinues(source, after: index))
        {
          finish(index)
        }
        lineStart = index + 1
      default: break
      }
      index += 1
    }
    if let span = trimmed(source, Span(start, bytes.count)) { spans.append(span) }
    return spans
  }

  /// True when the text so far is incomplete and the next line belongs to it; the REPL
  /// uses this to show a continuation prompt.
  public static func needsMore(_ text: String) -> Bool {
    var continuation = Continuation()
    var more = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      more = continuation.needsMore(after: String(line))
    }
    return more
  }

  /// `needsMore` fed a line at a time, so a statement of many lines is scanned once,
  /// not again at every line.
  public struct Continuation {
    private var state = State()
    private var meta: Bool?

    public init() {}

    /// Takes the next line of a statement; true when the statement goes on past it.
    public mutating func needsMore(after line: String) -> Bool {
      let source = SourceText(name: "", text: line)
      if meta == nil { meta = StatementSplitter.isMeta(source, 0) }
      if meta == true { return false }
      let bytes = source.bytes
      var index = 0
      while index < bytes.count {
        if let quote = state.quote {
          // Still inside text opened on an earlier line.
          guard let close = Lexer.endOfText(bytes, from: index, end: bytes.count, quote: quote) else { return true }
          state.quote = nil
          index = close
          continue
        }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
          state.quote = byte
          index += 1
          continue
        case UInt8(ascii: "("): state.depth += 1
        case UInt8(ascii: ")"): state.depth = max(0, state.depth - 1)
        case UInt8(ascii: "#") where Lexer.startsComment(bytes, at: index, end: bytes.count):
          index = bytes.count
          continue
        default: break
        }
        index += 1
      }
      return state.quote != nil || state.depth > 0 || StatementSplitter.continues(source, Span(0, bytes.count))
    }
  }

  fileprivate struct State {
    /// The quote of text still open at the end of a line (the continuation prompt's).
    var quote: UInt8?
    var depth = 0
  }

  fileprivate static func isMeta(_ source: SourceText, _ start: Int) -> Bool {
    var index = start
    while index < source.bytes.count, [9, 10, 13, 32].contains(source.bytes[index]) { index += 1 }
    return index < source.bytes.count && source.bytes[index] == UInt8(ascii: ".")
      && !(index + 1 < source.bytes.count && (48...57).contains(source.bytes[index + 1]))
  }

  /// Words that cannot end a statement: a line ending in one is continued.
  static let danglingWords: Set<String> = ["and", "or", "not", "where", "order", "by", "in", "between", "is"]

  /// The line so far ends in `and`, `or`, `,` or `\` (comments ignored), or in a word
  /// or operator that needs more (`where`, `=`).
  fileprivate static func continues(_ source: SourceText, _ span: Span) -> Bool {
    let bytes = source.bytes
    var start = span.end
    while start > span.start, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
    var end = span.end
    // A comment (`#` not followed by a digit) ends the line, unless a quote comes first.
    for index in start..<span.end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { break }
      if Lexer.startsComment(bytes, at: index, end: span.end) {
        end = index
        break
      }
    }
    while end > start, [9, 13, 32].contains(bytes[end - 1]) { end -= 1 }
    while start < end, [9, 32].contains(bytes[start]) { start += 1 }
    guard end > start else { return false }
    if Array(",\\=<>~".utf8).contains(bytes[end - 1]) { return true }
    var wordStart = end
    while wordStart > start, bytes[wordStart - 1] != 32 { wordStart -= 1 }
    return danglingWords.contains(source.slice(Span(wordStart, end)).lowercased())
  }

  /// Words that never start a statement: a line opening with one (`where ...`,
  /// `order by ...`) belongs to the statement above. Scripts only; the REPL cannot
  /// see the next line.
  static let clauseStarts: Set<String> = ["where", "and", "or", "order", "limit", "by", "reason"]

  private static func nextLineContinues(_ source: SourceText, after newline: Int) -> Bool {
    let bytes = source.bytes
    var index = newline + 1
    while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 }
    var end = index
    while end < bytes.count, (97...122).contains(bytes[end] | 0x20) { end += 1 }
    guard end > index, end == bytes.count || !(48...57).contains(bytes[end]) && bytes[end] != UInt8(ascii: "_") else {
      return false
    }
    return clauseStarts.contains(source.slice(Span(index, end)).lowercased())
  }

  private static func trimmed(_ source: SourceText, _ span: Span) -> Span? {
    var start = span.start
    var end = span.end
    let bytes = source.bytes
    while start < end, [9, 10, 13, 32].contains(bytes[start]) { start += 1 }
    while end > start, [9, 10, 13, 32].contains(bytes[end - 1]) { end -= 1 }
    // A span holding only comments is no statement.
    var probe = start
    while probe < end {
      if Lexer.startsComment(bytes, at: probe, end: end) {
        while probe < end, bytes[probe] != 10 { probe += 1 }
      } else if [9, 10, 13, 32].contains(bytes[probe]) {
        probe += 1
      } else {
        return Span(start, end)
      }
    }
    return nil
  }
}
