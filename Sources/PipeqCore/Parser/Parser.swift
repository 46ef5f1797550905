/// Recursive-descent parser for one statement. Finds the first error and throws it
/// with the span of the offending token; the words of the message come from here,
/// the rendering from `DiagnosticRenderer`.
public struct Parser {
  let source: SourceText
  var tokens: [Token]
  var index = 0
  /// How deep parentheses and `not` nest here: past `maximumDepth` it is an error, not a
  /// stack overflow.
  var depth = 0
  static let maximumDepth = 64
  /// The most operands one `and`/`or` chain may have.
  static let maximumTerms = 10_000
  /// Arithmetic operators in `set` expressions so far; each is a level of recursion for
  /// every deal set, so a statement has at most `maximumOperators`.
  var operators = 0
  static let maximumOperators = 256

  /// Parses the statement in `span` of `source` (the whole text by default).
  public static func parse(_ source: SourceText, span: Span? = nil) throws(DiagnosticError)
    -> Statement
  {
    let range = span ?? Span(0, source.bytes.count)
    if let meta = try MetaCommandParser.parse(source, span: range) { return .meta(meta) }
    var parser = Parser(source: source, tokens: try Lexer.tokens(source, span: range))
    let statement = try parser.parseStatement()
    try parser.expectEnd()
    return statement
  }

  /// Parses a bare filter, as in `.export PATH where FILTER` or a saved filter.
  public static func parseFilter(_ source: SourceText, span: Span) throws(DiagnosticError) -> FilterExpr {
    var parser = Parser(source: source, tokens: try Lexer.tokens(source, span: span))
    let filter = try parser.parseFilter()
    try parser.expectEnd()
    return filter
  }

  init(source: SourceText, tokens: [Token]) {
    self.source = source
    self.tokens = tokens
  }

  var current: Token { tokens[index] }
  var peekNext: Token { tokens[min(index + 1, tokens.count - 1)] }

  mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  /// Enters one level of nesting at `token` (a parenthesis, a `not`).
  mutating func enter(_ token: Token) throws(DiagnosticError) {
    depth += 1
    guard depth <= Parser.maximumDepth else {
      throw DiagnosticError(
        .error(
          "nested too deeply: at most \(Parser.maximumDepth) levels of parentheses and not", at: token.span,
          in: source, help: "write the test without the extra nesting, or save part of it with define"))
    }
  }

  /// Checks that a chain has not grown past `maximumTerms` operands.
  func checkTerms(_ count: Int, at token: Token) throws(DiagnosticError) {
    guard count <= Parser.maximumTerms else {
      throw DiagnosticError(
        .error(
          "too many terms: at most \(Format.count(Parser.maximumTerms)) in one chain", at: token.span, in: source,
          help: "for many values of one field use in (…), as in id in (1, 2, 3)"))
    }
  }

  mutating func consumeKeyword(_ keyword: String) -> Token? {
    current.isKeyword(keyword) ? advance() : nil
  }

  mutating func consume(_ kind: Token.Kind) -> Token? {
    current.kind == kind ? advance() : nil
  }

  mutating func expect(_ kind: Token.Kind, _ what: String) throws(DiagnosticError) -> Token {
    guard let token = consume(kind) else { throw unexpected(expected: what) }
    return token
  }

  mutating func expectKeyword(_ keyword: String) throws(DiagnosticError) -> Token {
    guard let token = consumeKeyword(keyword) else { throw unexpected(expected: "'\(keyword)'") }
    return token
  }

  /// A word that names something (field, stage, tag): keywords that start clauses are
  /// refused so `list where` does not read `where` as a field.
  mutating func expectName(_ what: String) throws(DiagnosticError) -> Name {
    switch current.kind {
    case .word(let text) where !Keywords.clauseWords.contains(text.lowercased()):
      let token = advance()
      return Name(text, token.span)
    case .string(let text):
      let token = advance()
      return Name(text, token.span)
    default:
      throw unexpected(expected: what)
    }
  }

  func expectEnd() throws(DiagnosticError) {
    guard current.kind == .end else {
      throw unexpected(expected: "end of statement", hint: endHint())
    }
  }

  func unexpected(expected: String, hint: String? = nil) -> DiagnosticError {
    let found = current.kind.summary
    return DiagnosticError(
      .error("expected \(expected), found \(found)", at: current.span, in: source, help: hint))
  }

  private func endHint() -> String? {
    if let word = current.keyword, let near = Suggestion.nearest(to: word, in: Keywords.clauseWords) {
      return "did you mean '\(near)'?"
    }
    return nil
  }
}

/// The language's reserved words.
public enum Keywords {
  /// Words that open a statement.
  public static let statements = [
    "list", "count", "sum", "avg", "min", "max", "median", "close", "move", "set", "tag", "untag", "delete",
    "explain", "history", "undo", "redo", "log", "define", "undefine", "defs", "board", "funnel", "health", "team",
    "stale", "trend", "show", "add", "pipelines", "create", "rename", "remove", "fields", "help", "exit", "quit",
  ]
  /// Reports, among the statements. A saved filter may share a report's name (`where
  /// stale`); a saved statement may not, since the report would run instead.
  public static let reports = ["board", "funnel", "health", "team", "stale", "trend"]
  /// Words that start or join clauses; never read as names.
  static let clauseWords: Set<String> = [
    "where", "and", "or", "not", "order", "by", "limit", "in", "between", "is", "reason",
  ]
  public static let metaCommands = [
    "import", "export", "export-defs", "read", "output", "mode", "now", "timer", "checkpoint", "help", "quit",
    "exit", "schema", "currency", "rate", "probability", "rotting", "rows", "pager",
  ]
}
