extension Parser {
  /// board [PIPELINE] [as of DATE] · funnel [PIPELINE] [PERIOD] [strict] [as of DATE] ·
  /// health [PERIOD] · team [PERIOD] · stale [limit N] · trend FIELD by UNIT[(DATE-FIELD)]
  /// [PERIOD]; each takes an optional `where FILTER` (stale's before its limit).
  mutating func parseReport() throws(DiagnosticError) -> Statement {
    let report: ReportStatement.Report
    switch ReportStatement.Kind(rawValue: advance().keyword!)! {
    case .board:
      report = .board(pipeline: try parseReportPipeline(), asOf: try parseAsOfDay())
    case .funnel:
      let pipeline = try parseReportPipeline()
      let period = atPeriod ? try parsePeriod() : nil
      report = .funnel(pipeline: pipeline, period: period, strict: try parseStrict(), asOf: try parseAsOfDay())
    case .health: report = .health(period: atPeriod ? try parsePeriod() : nil)
    case .team: report = .team(period: atPeriod ? try parsePeriod() : nil)
    case .stale:
      let filter = try parseOptionalWhere()
      let limit = consumeKeyword("limit") != nil ? try wholeNumber("a whole number after limit") : nil
      return .report(ReportStatement(.stale(limit: limit), filter: filter))
    case .trend:
      let (field, grouping) = try parseTrendGrouping()
      report = .trend(field: field, grouping: grouping, period: atPeriod ? try parsePeriod() : nil)
    }
    return .report(ReportStatement(report, filter: try parseOptionalWhere()))
  }

  /// `board partners`, `funnel "Sales Pipeline"` (CRMs name pipelines with spaces): a
  /// word that is not a clause, a period or `strict`, or a quoted name.
  private mutating func parseReportPipeline() throws(DiagnosticError) -> Name? {
    if case .word(let word) = current.kind, !Keywords.clauseWords.contains(word.lowercased()), !atPeriod,
      !["strict", "as"].contains(word.lowercased())
    {
      return Name(word, advance().span)
    }
    if case .string(let name) = current.kind { return Name(name, advance().span) }
    return nil
  }

  /// `strict`, or `--strict` as the option is written elsewhere.
  private mutating func parseStrict() throws(DiagnosticError) -> Bool {
    if consume(.minus) != nil {
      _ = try expect(.minus, "'--strict'")
      _ = try expectKeyword("strict")
      return true
    }
    return consumeKeyword("strict") != nil
  }

  /// `value by month` (created), `count by quarter(closed)`.
  private mutating func parseTrendGrouping() throws(DiagnosticError) -> (Name, Grouping) {
    let field = try expectName("a field to trend (value, count, …)")
    _ = try expectKeyword("by")
    // `by month` alone follows created; `by month(closed)` names the date.
    let grouping = try parseGrouping()
    let unit = grouping.period ?? grouping.field
    guard Parser.periodUnits.contains(unit.text.lowercased()) else {
      throw DiagnosticError(.error("trends go by week, month, quarter or year", at: grouping.field.span, in: source))
    }
    return (field, grouping.period == nil ? Grouping(field: Name("created", unit.span), period: unit) : grouping)
  }
}
