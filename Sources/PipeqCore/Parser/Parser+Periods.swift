extension Parser {
  /// PERIOD := (this | last) (week | month | quarter | year) | last DURATION
  ///         | YEAR | YEAR-qN | YEAR-MM | between VALUE and VALUE
  mutating func parsePeriod() throws(DiagnosticError) -> PeriodExpr {
    let start = current.span
    func finish(_ kind: PeriodExpr.Kind, _ parser: Parser) -> PeriodExpr {
      PeriodExpr(kind: kind, span: start.to(parser.tokens[parser.index - 1].span))
    }
    if let word = current.keyword, word == "this" || word == "last" {
      _ = advance()
      if word == "last", case .duration(let duration) = current.kind {
        _ = advance()
        return finish(.span(duration), self)
      }
      guard let unit = current.keyword, Parser.periodUnits.contains(unit) else {
        throw unexpected(
          expected: "week, month, quarter or year after \(word)\(word == "last" ? ", or a length (90d)" : "")")
      }
      _ = advance()
      return finish(.calendar(unit: unit, last: word == "last"), self)
    }
    if consumeKeyword("between") != nil {
      let low = try parseValue()
      _ = try expectKeyword("and")
      let high = try parseValue()
      return finish(.between(low, high), self)
    }
    switch current.kind {
    case .period(let text):
      let token = advance()
      let year = Int(text.prefix(4))!
      let rest = text.dropFirst(5)
      if rest.first == "q" || rest.first == "Q" {
        guard let quarter = Int(rest.dropFirst()), (1...4).contains(quarter) else {
          throw DiagnosticError(.error("a year has quarters q1 to q4", at: token.span, in: source))
        }
        return finish(.quarter(year: year, quarter: quarter), self)
      }
      guard let month = Int(rest), (1...12).contains(month) else {
        throw DiagnosticError(.error("\(text) is not a month: months are 01 to 12", at: token.span, in: source))
      }
      return finish(.month(year: year, month: month), self)
    case .number(let number, let text) where text.count == 4 && number == number.rounded() && number >= 1000:
      _ = advance()
      return finish(.year(Int(number)), self)
    default:
      throw unexpected(
        expected: "a period: this or last week/month/quarter/year, last 90d, 2026, 2026-q3, 2026-10 or between")
    }
  }

  /// True where a period can start: after `in`, and after a report's name.
  var atPeriod: Bool {
    switch current.kind {
    case .period: return true
    case .word(let text): return ["this", "last", "between"].contains(text.lowercased())
    case .number(_, let text): return text.count == 4 && text.allSatisfy(\.isNumber)
    default: return false
    }
  }

  static let periodUnits: Set<String> = ["week", "month", "quarter", "year"]
}
