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
      // `by month` alone follows created; `by month(closed)` names the date.
      let grouping = try parseGrouping()
      let unit = grouping.period ?? grouping.field
      guard Parser.periodUnits.contains(unit.text.lowercased()) else {
        throw DiagnosticError(.error("trends go by week, month, quarter or year", at: grouping.field.span, in: source))
      }
      report.trendGrouping =
        grouping.period == nil ? Grouping(field: Name("created", unit.span), period: unit) : grouping
    }
    if kind == .board || kind == .funnel, case .word(let word) = current.kind,
      !Keywords.clauseWords.contains(word.lowercased()), !atPeriod, word.lowercased() != "strict",
      word.lowercased() != "as"
    {
      report.pipeline = Name(word, advance().span)
    } else if kind == .board || kind == .funnel, case .string(let name) = current.kind {
      // A pipeline named with spaces, as CRMs name them: board "Sales Pipeline".
      report.pipeline = Name(name, advance().span)
    }
    if kind != .board && kind != .stale && atPeriod { report.period = try parsePeriod() }
    if kind == .funnel {
      // `strict`, or `--strict` as the option is written elsewhere.
      if consume(.minus) != nil {
        _ = try expect(.minus, "'--strict'")
        _ = try expectKeyword("strict")
        report.strict = true
      } else if consumeKeyword("strict") != nil {
        report.strict = true
      }
    }
    if kind == .board || kind == .funnel { report.asOf = try parseAsOfDay() }
    report.filter = try parseOptionalWhere()
    if kind == .stale, consumeKeyword("limit") != nil { report.limit = try wholeNumber("a whole number after limit") }
    return .report(report)
  }
}
