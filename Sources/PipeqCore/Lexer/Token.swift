/// One lexical unit of a statement, with the span it covers.
public struct Token: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A bare word: keyword, field name or unquoted value (`won`, `alice`, `Müller`).
    case word(String)
    /// A number with an optional scale suffix: `10k`, `1.5m`, `42`.
    case number(Double, text: String)
    /// A number followed by a duration unit: `90d`, `6mo`.
    case duration(Duration)
    /// `YYYY-MM-DD` as written; validated by the parser so the error can say why.
    case date(String)
    /// `2026-10` (a month) or `2026-q3` (a quarter), as written.
    case period(String)
    case string(String)
    /// `#12`: a journal record's sequence number, as in `undo #12`.
    case reference(UInt64)
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case tilde, notTilde
    case leftParen, rightParen, comma, semicolon
    case plus, minus, star, slash
    case end
  }

  public var kind: Kind
  public var span: Span

  public init(_ kind: Kind, _ span: Span) {
    self.kind = kind
    self.span = span
  }

  /// The word, lowercased, when this token is a bare word; keywords compare against it.
  public var keyword: String? {
    if case .word(let text) = kind { return text.lowercased() }
    return nil
  }

  public func isKeyword(_ name: String) -> Bool { keyword == name }
}

extension Token.Kind {
  /// How the token is named in "expected ..., found ..." messages.
  public var summary: String {
    switch self {
    case .word(let text): return "'\(text)'"
    case .number(_, let text): return "number \(text)"
    case .duration(let duration): return "duration \(duration)"
    case .date(let text): return "date \(text)"
    case .period(let text): return "period \(text)"
    case .string(let text): return "text \"\(text)\""
    case .reference(let sequence): return "#\(sequence)"
    case .equal: return "'='"
    case .notEqual: return "'!='"
    case .less: return "'<'"
    case .lessEqual: return "'<='"
    case .greater: return "'>'"
    case .greaterEqual: return "'>='"
    case .tilde: return "'~'"
    case .notTilde: return "'!~'"
    case .leftParen: return "'('"
    case .rightParen: return "')'"
    case .comma: return "','"
    case .semicolon: return "';'"
    case .plus: return "'+'"
    case .minus: return "'-'"
    case .star: return "'*'"
    case .slash: return "'/'"
    case .end: return "end of statement"
    }
  }
}
