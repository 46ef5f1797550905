extension Parser {
  /// VALUE := number | duration | date [± duration] | today/yesterday/tomorrow [± duration]
  ///        | "text" | 'text' | word
  mutating func parseValue() throws(DiagnosticError) -> ValueExpr {
    let token = current
    switch token.kind {
    case .number(let value, let text):
      _ = advance()
      return .number(value, text: text, span: token.span)
    case .duration(let duration):
      _ = advance()
      return .duration(duration, span: token.span)
    case .date(let text):
      _ = advance()
      return try dateArithmetic(.date(try validDate(text, span: token.span), span: token.span))
    case .string(let text):
      _ = advance()
      return .text(text, span: token.span)
    case .word(let text):
      if text.hasPrefix("$"), text.count > 1 {
        _ = advance()
        return .parameter(String(text.dropFirst()), span: token.span)
      }
      if let offset = Parser.relativeDays[text.lowercased()] {
        _ = advance()
        return try dateArithmetic(.relativeDay(offset: offset, word: text.lowercased(), span: token.span))
      }
      if Keywords.clauseWords.contains(text.lowercased()) {
        throw unexpected(expected: "a value")
      }
      _ = advance()
      return .word(text, span: token.span)
    case .minus:
      _ = advance()
      guard case .number(let value, let text) = current.kind else {
        throw unexpected(expected: "a number after '-'")
      }
      let span = token.span.to(advance().span)
      return .number(-value, text: "-" + text, span: span)
    default:
      throw unexpected(expected: "a value")
    }
  }

  /// `today + 14d`, `2026-01-01 - 1mo`.
  private mutating func dateArithmetic(_ day: ValueExpr) throws(DiagnosticError) -> ValueExpr {
    guard current.kind == .plus || current.kind == .minus else { return day }
    let op: ValueExpr.BinaryOperator = advance().kind == .plus ? .add : .subtract
    guard case .duration(let duration) = current.kind else {
      throw unexpected(expected: "a duration such as 14d or 1mo")
    }
    return .binary(op, day, .duration(duration, span: advance().span))
  }

  /// EXPR in `set`: + - * / with the usual precedence, fields as operands.
  mutating func parseValueExpression() throws(DiagnosticError) -> ValueExpr {
    var left = try parseTerm()
    while current.kind == .plus || current.kind == .minus {
      try countOperator()
      let op: ValueExpr.BinaryOperator = advance().kind == .plus ? .add : .subtract
      left = .binary(op, left, try parseTerm())
    }
    return left
  }

  /// An expression is evaluated by recursion for every deal it sets, so it stays short
  /// enough for that: a formula, not a list.
  private mutating func countOperator() throws(DiagnosticError) {
    operators += 1
    guard operators <= Parser.maximumOperators else {
      throw DiagnosticError(
        .error(
          "too many terms: at most \(Parser.maximumOperators) operators in one statement", at: current.span, in: source)
      )
    }
  }

  private mutating func parseTerm() throws(DiagnosticError) -> ValueExpr {
    var left = try parseFactor()
    while current.kind == .star || current.kind == .slash {
      try countOperator()
      let op: ValueExpr.BinaryOperator = advance().kind == .star ? .multiply : .divide
      left = .binary(op, left, try parseFactor())
    }
    return left
  }

  private mutating func parseFactor() throws(DiagnosticError) -> ValueExpr {
    if let open = consume(.leftParen) {
      try enter(open)
      defer { depth -= 1 }
      let inner = try parseValueExpression()
      guard consume(.rightParen) != nil else {
        throw DiagnosticError(
          .error("expected ')' to close the '(' opened here", at: open.span, in: source))
      }
      return inner
    }
    if let minus = consume(.minus) {
      try enter(minus)
      defer { depth -= 1 }
      let operand = try parseFactor()
      return .negate(operand, span: minus.span.to(operand.span))
    }
    let token = current
    switch token.kind {
    case .number(let value, let text):
      _ = advance()
      return .number(value, text: text, span: token.span)
    case .duration(let duration):
      _ = advance()
      return .duration(duration, span: token.span)
    case .date(let text):
      _ = advance()
      return .date(try validDate(text, span: token.span), span: token.span)
    case .string(let text):
      _ = advance()
      return .text(text, span: token.span)
    case .word(let text):
      if Keywords.clauseWords.contains(text.lowercased()) { throw unexpected(expected: "a value") }
      _ = advance()
      if text.hasPrefix("$"), text.count > 1 { return .parameter(String(text.dropFirst()), span: token.span) }
      if let offset = Parser.relativeDays[text.lowercased()] {
        return .relativeDay(offset: offset, word: text.lowercased(), span: token.span)
      }
      return .word(text, span: token.span)
    default:
      throw unexpected(expected: "a value")
    }
  }

  static let relativeDays = ["today": 0, "yesterday": -1, "tomorrow": 1]

  /// Checks a date literal and says what is wrong with it.
  func validDate(_ text: String, span: Span) throws(DiagnosticError) -> Day {
    if let day = Day(iso: text) { return day }
    let parts = text.split(separator: "-").map { Int($0) }
    var reason = "dates are written YYYY-MM-DD"
    if parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
      text.count == 10
    {
      if !(1...12).contains(month) {
        reason = "there is no month \(month)"
      } else if day < 1 || day > Day.daysIn(year: year, month: month) {
        reason = "\(Parser.monthNames[month - 1]) \(year) has \(Day.daysIn(year: year, month: month)) days"
      }
    }
    throw DiagnosticError(.error("invalid date '\(text)': \(reason)", at: span, in: source))
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
}
