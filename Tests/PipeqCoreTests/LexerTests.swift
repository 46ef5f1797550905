import PipeqCore
import Testing

@Suite struct LexerTests {
  /// Tokens as short strings: kind and value.
  static func kinds(_ text: String) throws -> [String] {
    try Lexer.tokens(SourceText(name: "t", text: text)).dropLast().map { token in
      switch token.kind {
      case .word(let w): return "w:\(w)"
      case .number(let n, _): return "n:\(n == n.rounded() ? String(Int64(n)) : String(n))"
      case .duration(let d): return "d:\(d)"
      case .date(let d): return "date:\(d)"
      case .string(let s): return "s:\(s)"
      default: return token.kind.summary.replacingOccurrences(of: "'", with: "")
      }
    }
  }

  @Test(arguments: [
    ("stage != won", ["w:stage", "!=", "w:won"]),
    ("value > 10k", ["w:value", ">", "n:10000"]),
    ("value >= 1.5m", ["w:value", ">=", "n:1500000"]),
    ("value <= 2_500", ["w:value", "<=", "n:2500"]),
    ("last_interaction > 90d", ["w:last_interaction", ">", "d:90d"]),
    ("x < 2w 6mo 1q 1y", ["w:x", "<", "d:2w", "d:6mo", "d:1q", "d:1y"]),
    ("created = 2026-02-28", ["w:created", "=", "date:2026-02-28"]),
    ("created = 2026-02-30", ["w:created", "=", "date:2026-02-30"]),
    ("today + 14d", ["w:today", "+", "d:14d"]),
    ("name ~ \"Acme, Inc\"", ["w:name", "~", "s:Acme, Inc"]),
    ("name !~ 'O''Brien'", ["w:name", "!~", "s:O'Brien"]),
    ("name = \"say \\\"hi\\\"\"", ["w:name", "=", "s:say \"hi\""]),
    ("owner = Müller", ["w:owner", "=", "w:Müller"]),
    ("account = 東京", ["w:account", "=", "w:東京"]),
    ("a <> b", ["w:a", "!=", "w:b"]),
    ("a == b", ["w:a", "=", "w:b"]),
    ("(a, b); c", ["(", "w:a", ",", "w:b", ")", ";", "w:c"]),
    ("value = value * 1.1 / 2 - 3", ["w:value", "=", "w:value", "*", "n:1.1", "/", "n:2", "-", "n:3"]),
    ("list # a comment\nwhere", ["w:list", "w:where"]),
    ("list \\\n where", ["w:list", "w:where"]),
    ("id = .5", ["w:id", "=", "n:0.5"]),
  ])
  func tokens(text: String, expected: [String]) throws {
    #expect(try Self.kinds(text) == expected)
  }

  @Test func tokensCarryTheirSpans() throws {
    let tokens = try Lexer.tokens(SourceText(name: "t", text: "owner = 'Müller'"))
    #expect(tokens.map(\.span) == [Span(0, 5), Span(6, 7), Span(8, 17), Span(17, 17)])
  }

  @Test(arguments: [
    ("value > 10x", "unknown unit 'x' after 10"),
    ("name = \"open", "unterminated text: the closing \" is missing"),
    ("value > 1.5d", "a duration needs a whole number: 1.5d"),
    ("owner @ bob", "unexpected character '@'"),
  ])
  func errors(text: String, message: String) {
    #expect(throws: DiagnosticError.self) { try Lexer.tokens(SourceText(name: "t", text: text)) }
    do {
      _ = try Lexer.tokens(SourceText(name: "t", text: text))
    } catch {
      #expect(error.diagnostic.message == message)
    }
  }
}
