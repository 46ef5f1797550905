extension Parser {
  mutating func parseStatement() throws(DiagnosticError) -> Statement {
    guard let keyword = current.keyword else {
      throw unexpected(expected: "a statement (\(Keywords.statements.joined(separator: ", ")))")
    }
    switch keyword {
    case "list": return try parseAsOf(try parseList())
    case "count": return try parseAsOf(try parseRanked(try parseCount()))
    case "sum", "avg", "min", "max", "median": return try parseAsOf(try parseRanked(try parseAggregate()))
    case "board", "funnel", "health", "team", "stale", "trend": return try parseReport()
    case "close": return try parseClose()
    case "move": return try parseMove()
    case "set": return try parseSet()
    case "tag", "untag": return try parseTag()
    case "delete":
      _ = advance()
      return .delete(filter: try parseWhere())
    case "history":
      _ = advance()
      var limit: Int?
      if consumeKeyword("limit") != nil { limit = try wholeNumber("a whole number after limit") }
      return .history(limit: limit)
    case "undo":
      _ = advance()
      if case .reference(let sequence) = current.kind {
        return .undo(.sequence(sequence, span: advance().span))
      }
      if case .number = current.kind {
        let count = try wholeNumber("how many actions to undo")
        guard count > 0 else { throw unexpected(expected: "a positive number of actions") }
        return .undo(.last(count))
      }
      return .undo(.last(1))
    case "redo":
      _ = advance()
      return .redo
    case "log":
      _ = advance()
      _ = consumeKeyword("deal")
      let token = current
      let id = try wholeNumber("a deal id, as in log deal 42")
      return .log(dealID: Int64(id), span: token.span)
    case "explain":
      let start = advance().span.start
      let statement = try parseStatement()
      return .explain(statement, span: Span(start, current.span.start))
    case "define":
      _ = advance()
      let name = try expectName("a name to define")
      _ = try expectKeyword("as")
      guard current.kind != .end else { throw unexpected(expected: "a filter or a statement after as") }
      let start = current.span.start
      var end = start
      while current.kind != .end { end = advance().span.end }
      return .define(name: name, body: source.slice(Span(start, end)), bodySpan: Span(start, end))
    case "undefine":
      _ = advance()
      return .undefine(name: try expectName("the name of a saved query"))
    case "defs":
      _ = advance()
      return .defs
    case "add":
      if peekNext.isKeyword("stage") {
        _ = advance()
        return try parseAddStage()
      }
      return try parseAdd()
    case "create": return try parseCreate()
    case "rename": return try parseRename()
    case "remove": return try parseRemove()
    case "pipelines":
      _ = advance()
      return .pipelines
    case "fields":
      _ = advance()
      guard case .word(let text) = current.kind else { return .meta(.schema(kind: nil)) }
      return .meta(.schema(kind: TextLiteral(text: text, span: advance().span)))
    // Words other shells answer, so a first try is not an error.
    case "help":
      _ = advance()
      guard case .word(let text) = current.kind else { return .meta(.help(topic: nil)) }
      _ = advance()
      return .meta(.help(topic: text.lowercased()))
    case "exit", "quit":
      _ = advance()
      return .meta(.quit)
    case "show":
      _ = advance()
      if case .number = current.kind {
        let token = current
        return .show(.deal(Int64(try wholeNumber("a deal id")), span: token.span))
      }
      guard current.isKeyword("where") else { throw unexpected(expected: "a deal id or where, as in show 42") }
      return .show(.filter(try parseOptionalWhere()))
    default:
      // Any other word may name a saved statement; the engine says if it does not.
      guard case .word(let text) = current.kind, !Keywords.clauseWords.contains(keyword) else {
        throw unexpected(expected: "a statement")
      }
      let name = Name(text, advance().span)
      var arguments: [ValueExpr] = []
      do {
        while current.kind != .end { arguments.append(try parseValue()) }
      } catch {
        // Not a saved statement's arguments: most likely a mistyped statement.
        let hint = Suggestion.nearest(to: keyword, in: Keywords.statements).map { "did you mean '\($0)'?" }
        throw DiagnosticError(.error("unknown statement '\(text)'", at: name.span, in: source, help: hint))
      }
      return .call(name: name, arguments: arguments)
    }
  }

  /// `add deal NAME [FIELD VALUE …] [in PIPELINE]`.
  private mutating func parseAdd() throws(DiagnosticError) -> Statement {
    let start = advance().span.start
    _ = try expectKeyword("deal")
    let name: TextLiteral
    switch current.kind {
    case .string(let text), .word(let text): name = TextLiteral(text: text, span: advance().span)
    default: throw unexpected(expected: "the new deal's name, as in add deal \"Acme renewal\"")
    }
    var fields: [Assignment] = []
    var pipeline: Name?
    while current.kind != .end {
      if pipeline == nil, consumeKeyword("in") != nil {
        pipeline = try expectName("a pipeline after in")
        continue
      }
      let field = try expectName("a field and its value, as in owner bob or value 12k")
      guard current.kind != .end else { throw unexpected(expected: "a value for \(field.text)") }
      fields.append(Assignment(field: field, value: try parseValueExpression()))
    }
    return .addDeal(
      AddDealStatement(name: name, fields: fields, pipeline: pipeline, span: Span(start, current.span.start)))
  }

  private mutating func parseList() throws(DiagnosticError) -> Statement {
    _ = advance()
    var fields: [Name] = []
    if !current.isKeyword("where"), !current.isKeyword("order"), !current.isKeyword("limit"),
      current.kind != .end
    {
      repeat { fields.append(try expectName("a field name")) } while consume(.comma) != nil
    }
    let filter = try parseOptionalWhere()
    let (order, limit) = try parseOrderAndLimit()
    return .list(ListStatement(fields: fields, filter: filter, order: order, limit: limit))
  }

  /// `[order by NAME [asc|desc], …] [limit N]`.
  private mutating func parseOrderAndLimit() throws(DiagnosticError) -> ([OrderTerm], Int?) {
    var order: [OrderTerm] = []
    if consumeKeyword("order") != nil {
      _ = try expectKeyword("by")
      repeat {
        let field = try expectName("a field to order by")
        var descending = false
        if consumeKeyword("desc") != nil {
          descending = true
        } else {
          _ = consumeKeyword("asc")
        }
        order.append(OrderTerm(field: field, descending: descending))
      } while consume(.comma) != nil
    }
    var limit: Int?
    if consumeKeyword("limit") != nil { limit = try wholeNumber("a whole number after limit") }
    return (order, limit)
  }

  /// A count or aggregate with `order by` / `limit` after it: its groups ranked.
  private mutating func parseRanked(_ statement: Statement) throws(DiagnosticError) -> Statement {
    let (order, limit) = try parseOrderAndLimit()
    return order.isEmpty && limit == nil ? statement : .ranked(statement, order: order, limit: limit)
  }

  /// `[where FILTER] [by GROUP, …]`, in either order.
  private mutating func parseWhereAndBy() throws(DiagnosticError) -> (FilterExpr?, [Grouping]) {
    var filter: FilterExpr?
    var by: [Grouping] = []
    while true {
      if filter == nil, current.isKeyword("where") {
        filter = try parseOptionalWhere()
      } else if by.isEmpty, consumeKeyword("by") != nil {
        repeat { by.append(try parseGrouping()) } while consume(.comma) != nil
      } else {
        return (filter, by)
      }
    }
  }

  /// FIELD, or PERIOD ( DATE-FIELD ) with PERIOD one of week, month, quarter, year.
  mutating func parseGrouping() throws(DiagnosticError) -> Grouping {
    let name = try expectName("a field to group by")
    guard Parser.periodUnits.contains(name.text.lowercased()), consume(.leftParen) != nil else {
      return Grouping(field: name, period: nil)
    }
    let field = try expectName("a date field in \(name.text)( )")
    _ = try expect(.rightParen, "')' after \(name.text)(\(field.text)")
    return Grouping(field: field, period: name)
  }

  /// A trailing `as of DATE`.
  private mutating func parseAsOf(_ statement: Statement) throws(DiagnosticError) -> Statement {
    guard let day = try parseAsOfDay() else { return statement }
    return .asOf(statement, day: day)
  }

  /// `as of DATE`, when it comes next.
  mutating func parseAsOfDay() throws(DiagnosticError) -> ValueExpr? {
    guard consumeKeyword("as") != nil else { return nil }
    _ = try expectKeyword("of")
    return try parseValue()
  }

  mutating func wholeNumber(_ what: String) throws(DiagnosticError) -> Int {
    guard case .number(let value, let text) = current.kind, value >= 0, value == value.rounded() else {
      throw unexpected(expected: what)
    }
    guard value < 1e15 else {
      throw DiagnosticError(
        .error("\(text) is too large: at most 999,999,999,999,999 here", at: current.span, in: source))
    }
    _ = advance()
    return Int(value)
  }

  private mutating func parseCount() throws(DiagnosticError) -> Statement {
    _ = advance()
    let (filter, by) = try parseWhereAndBy()
    return .count(filter: filter, by: by)
  }

  private mutating func parseAggregate() throws(DiagnosticError) -> Statement {
    let function = AggregateFunction(rawValue: advance().keyword!)!
    let field = try expectName("a field after \(function.rawValue)")
    let (filter, by) = try parseWhereAndBy()
    return .aggregate(function: function, field: field, filter: filter, by: by)
  }

  private mutating func parseClose() throws(DiagnosticError) -> Statement {
    _ = advance()
    let outcome: Statement.Outcome
    if consumeKeyword("won") != nil {
      outcome = .won
    } else if consumeKeyword("lost") != nil {
      outcome = .lost
    } else {
      throw unexpected(expected: "'won' or 'lost' after close")
    }
    var reason: TextLiteral?
    if consumeKeyword("reason") != nil {
      switch current.kind {
      case .string(let text), .word(let text):
        reason = TextLiteral(text: text, span: advance().span)
      default:
        throw unexpected(expected: "the reason as text, e.g. reason \"no budget\"")
      }
    }
    return .close(outcome: outcome, reason: reason, filter: try parseWhere())
  }

  private mutating func parseMove() throws(DiagnosticError) -> Statement {
    _ = advance()
    if current.isKeyword("stage"), case .word = peekNext.kind, !peekNext.isKeyword("where") {
      return try parseMoveStage()
    }
    if current.isKeyword("to"), case .word = peekNext.kind, !peekNext.isKeyword("where") {
      _ = advance()
    }
    let first = try expectName("a stage to move to")
    guard consume(.slash) != nil else { return .move(stage: first, pipeline: nil, filter: try parseWhere()) }
    let stage = try expectName("a stage of \(first.text) after /, as in move to \(first.text)/lead")
    return .move(stage: stage, pipeline: first, filter: try parseWhere())
  }

  private mutating func parseSet() throws(DiagnosticError) -> Statement {
    _ = advance()
    if current.isKeyword("stage"), peekNext.kind != .equal { return try parseSetStage() }
    var assignments: [Assignment] = []
    repeat {
      let field = try expectName("a field to set")
      _ = try expect(.equal, "'=' after \(field.text)")
      assignments.append(Assignment(field: field, value: try parseValueExpression()))
    } while consume(.comma) != nil
    return .set(assignments: assignments, filter: try parseWhere())
  }

  private mutating func parseTag() throws(DiagnosticError) -> Statement {
    let untag = advance().isKeyword("untag")
    var names: [Name] = []
    repeat { names.append(try expectName("a tag name")) } while consume(.comma) != nil
    let filter = try parseWhere()
    return untag ? .untag(names: names, filter: filter) : .tag(names: names, filter: filter)
  }

  /// The `where` clause of a bulk action. Missing is not an error here: the planner
  /// refuses it with a message about bulk actions, after checking the rest.
  private mutating func parseWhere() throws(DiagnosticError) -> FilterExpr? {
    try parseOptionalWhere()
  }

  mutating func parseOptionalWhere() throws(DiagnosticError) -> FilterExpr? {
    guard consumeKeyword("where") != nil else { return nil }
    return try parseFilter()
  }
}
