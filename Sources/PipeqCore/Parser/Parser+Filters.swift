extension Parser {
  /// FILTER := or-chain of and-chains of `not`-prefixed tests; not > and > or.
  mutating func parseFilter() throws(DiagnosticError) -> FilterExpr {
    var operands = [try parseAnd()]
    while let or = consumeKeyword("or") {
      try checkTerms(operands.count + 1, at: or)
      operands.append(try parseAnd())
    }
    return Parser.chain(operands[...], FilterExpr.or)
  }

  private mutating func parseAnd() throws(DiagnosticError) -> FilterExpr {
    var operands = [try parseNot()]
    while let and = consumeKeyword("and") {
      try checkTerms(operands.count + 1, at: and)
      operands.append(try parseNot())
    }
    return Parser.chain(operands[...], FilterExpr.and)
  }

  /// A chain of `and` (or of `or`) as a balanced tree: the same meaning as reading it
  /// left to right, but a chain of thousands of tests is only a few levels deep for the
  /// planner and the scan. Three or fewer nest to the left as before.
  static func chain(_ operands: ArraySlice<FilterExpr>, _ join: (FilterExpr, FilterExpr) -> FilterExpr) -> FilterExpr {
    guard operands.count > 1 else { return operands.first! }
    let middle = operands.startIndex + (operands.count + 1) / 2
    return join(chain(operands[..<middle], join), chain(operands[middle...], join))
  }

  private mutating func parseNot() throws(DiagnosticError) -> FilterExpr {
    if let not = consumeKeyword("not") {
      try enter(not)
      defer { depth -= 1 }
      let operand = try parseNot()
      return .not(operand, span: not.span.to(operand.span))
    }
    if let open = consume(.leftParen) {
      try enter(open)
      defer { depth -= 1 }
      let inner = try parseFilter()
      guard consume(.rightParen) != nil else {
        throw DiagnosticError(
          .error(
            "expected ')' to close the '(' opened here, found \(current.kind.summary)",
            at: open.span, in: source))
      }
      return inner
    }
    return try parseTestOrReference()
  }

  private mutating func parseTestOrReference() throws(DiagnosticError) -> FilterExpr {
    // A bare name followed by and / or / ) / the end is a saved filter.
    if case .word(let text) = current.kind, !Keywords.clauseWords.contains(text.lowercased()),
      peekNext.kind == .end || peekNext.kind == .rightParen || peekNext.isKeyword("and")
        || peekNext.isKeyword("or") || peekNext.isKeyword("order") || peekNext.isKeyword("limit")
        || peekNext.isKeyword("by")
    {
      return .reference(Name(text, advance().span))
    }
    return .test(try parseTest())
  }

  private mutating func parseTest() throws(DiagnosticError) -> Test {
    let field = try expectName("a field name")
    let start = field.span
    func finish(_ kind: Test.Kind, _ parser: Parser) -> Test {
      Test(field: field, kind: kind, span: start.to(parser.tokens[parser.index - 1].span))
    }
    if let comparison = Parser.comparison(current.kind) {
      _ = advance()
      return finish(.compare(comparison, try parseValue()), self)
    }
    if consume(.tilde) != nil { return finish(.contains(try parseValue(), negated: false), self) }
    if consume(.notTilde) != nil { return finish(.contains(try parseValue(), negated: true), self) }
    if consumeKeyword("is") != nil {
      let negated = consumeKeyword("not") != nil
      _ = try expectKeyword("empty")
      return finish(.isEmpty(negated: negated), self)
    }
    let negated = consumeKeyword("not") != nil
    if consumeKeyword("in") != nil {
      if atPeriod { return finish(.period(try parsePeriod(), negated: negated), self) }
      _ = try expect(.leftParen, "'(' and a list of values, or a period (last month, 2026-q3), after in")
      var values: [ValueExpr] = []
      repeat { values.append(try parseValue()) } while consume(.comma) != nil
      _ = try expect(.rightParen, "')' or ',' in the list")
      return finish(.oneOf(values, negated: negated), self)
    }
    if consumeKeyword("between") != nil {
      let low = try parseValue()
      _ = try expectKeyword("and")
      let high = try parseValue()
      return finish(.between(low, high, negated: negated), self)
    }
    throw unexpected(
      expected: negated
        ? "'in' or 'between' after not"
        : "a comparison after \(field.text) (=, !=, <, <=, >, >=, ~, !~, in, between, is empty)")
  }

  static func comparison(_ kind: Token.Kind) -> Test.Comparison? {
    switch kind {
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    default: return nil
    }
  }
}
