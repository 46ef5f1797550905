extension Parser {
  /// board [PIPELINE] [as of DATE] · funnel [PIPELINE] [PERIOD] [strict] · health [PERIOD]
  /// · team [PERIOD] · stale · trend FIELD by UNIT[(DATE-FIELD)] [PERIOD]; each then
  /// takes an optional `where FILTER`.
  mutating func parseReport() throws(DiagnosticError) -> Statement {
    let kind = ReportStatement.Kind(rawValue: advance().keyword!)!
    var report = ReportStatement(kind: kind)
    if kind == .trend {
      report.trendField = try expectName("a field to trend (value, count, …)")
      _ = try expectKeyword("by")
      let grouping = try parseGroupingForTrend()
      report.trendGrouping = grouping
    }
    if kind == .board || kind == .funnel, case .word(let word) = current.kind,
      !Keywords.clauseWords.contains(word.lowercased()), !atPeriod, word.lowercased() != "strict",
      word.lowercased() != "as"
    {
      report.pipeline = Name(word, advance().span)
    }
    if kind != .board && kind != .stale && atPeriod { report.period = try parsePeriod() }
    if kind == .funnel {
      if consume(.minus) != nil { _ = try expect(.minus, "'--strict'") }
      if consumeKeyword("strict") != nil { report.strict = true }
    }
    if kind == .board || kind == .funnel, consumeKeyword("as") != nil {
      _ = try expectKeyword("of")
      report.asOf = try parseValue()
    }
    report.filter = try parseOptionalWhere()
    if kind == .stale, consumeKeyword("limit") != nil { report.limit = try wholeNumber("a whole number after limit") }
    return .report(report)
  }

  private mutating func parseGroupingForTrend() throws(DiagnosticError) -> Grouping {
    let unit = try expectName("week, month, quarter or year")
    guard Parser.periodUnits.contains(unit.text.lowercased()) else {
      throw DiagnosticError(.error("trends go by week, month, quarter or year", at: unit.span, in: source))
    }
    guard consume(.leftParen) != nil else { return Grouping(field: Name("created", unit.span), period: unit) }
    let field = try expectName("a date field in \(unit.text)( )")
    _ = try expect(.rightParen, "')' after \(unit.text)(\(field.text)")
    return Grouping(field: field, period: unit)
  }
}
