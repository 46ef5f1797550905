extension Planner {
  /// A number for an id or money test: `50k`, `1.5m`, `12500.50`.
  func numberLiteral(_ value: ValueExpr, for target: Field) throws(DiagnosticError) -> Int64 {
    guard case .number(let number, _, _) = value else {
      throw mismatch(target, value)
    }
    if target == .value || target == .weighted {
      guard let cents = Money.cents(number) else { throw error("amount out of range", value.span) }
      return cents
    }
    guard number == number.rounded(), abs(number) < 9e15 else {
      throw error("\(target.rawValue) needs a whole number", value.span)
    }
    return Int64(number)
  }

  /// A calendar day for a date field: a date, today/yesterday/tomorrow, ± a duration.
  func dayLiteral(_ value: ValueExpr, for target: Field) throws(DiagnosticError) -> Day {
    switch value {
    case .date(let day, _): return day
    case .relativeDay(let offset, _, _):
      guard let day = today.offset(days: offset) else { throw outOfRange(value) }
      return day
    case .binary(let op, let left, .duration(let duration, _)) where op == .add || op == .subtract:
      let day = try dayLiteral(left, for: target)
      guard let moved = duration.subtracted(from: day, sign: op == .add ? 1 : -1) else { throw outOfRange(value) }
      return moved
    default:
      throw mismatch(target, value)
    }
  }

  /// A date expression that leaves the years pipeq keeps: an error, never a clamp that
  /// would change what the filter means.
  func outOfRange(_ value: ValueExpr) -> DiagnosticError {
    error(
      "\(source.slice(value.span)) is outside the dates pipeq keeps (\(Day.range))", value.span)
  }

  /// Text for a text test: quoted text, a bare word, or a number as written.
  func textLiteral(_ value: ValueExpr, for target: Field) throws(DiagnosticError) -> String {
    switch value {
    case .text(let text, _), .word(let text, _): return text
    case .number(_, let text, _): return text
    case .relativeDay(_, let word, _): return word
    default: throw mismatch(target, value)
    }
  }

  /// A stage, pipeline or status name.
  func stageName(_ value: ValueExpr) throws(DiagnosticError) -> Name {
    switch value {
    case .text(let text, let span), .word(let text, let span): return Name(text, span)
    default: throw error("expected a name, found \(describe(value))", value.span)
    }
  }

  func mismatch(_ target: Field, _ value: ValueExpr) -> DiagnosticError {
    var help: String?
    switch target.kind {
    case .date: help = "dates are YYYY-MM-DD, today, yesterday, tomorrow (± 14d); ages are durations such as 90d"
    case .money, .integer: help = "numbers may end in k or m: 50k, 1.5m"
    case .days: help = "durations: 90d, 2w, 6mo, 1q, 1y"
    default: break
    }
    return error(
      "\(target.rawValue) is \(Planner.kindName(target)), but \(describe(value)) is \(kindOf(value))",
      value.span, help: help)
  }

  func describe(_ value: ValueExpr) -> String { "'\(source.slice(value.span))'" }

  func kindOf(_ value: ValueExpr) -> String {
    switch value {
    case .number: return "a number"
    case .duration: return "a duration"
    case .date, .relativeDay: return "a date"
    case .text, .word: return "text"
    case .binary(_, let left, _): return kindOf(left)
    case .negate: return "a number"
    case .parameter: return "a parameter"
    }
  }

  /// Checks the right side of `set FIELD = EXPR` against the field's type.
  func valuePlan(_ expr: ValueExpr, for target: Field) throws(DiagnosticError) -> ValuePlan {
    let plan = try valueTerm(expr)
    let kind = try resultKind(plan, expr)
    let expected: ResultKind
    switch target.kind {
    case .money: expected = .number
    case .date: expected = .date
    default: expected = .text
    }
    if kind != expected && kind != .empty {
      throw error(
        "\(target.rawValue) is \(Planner.kindName(target)), but \(describe(expr)) is \(kind.name)",
        expr.span)
    }
    return plan
  }

  enum ResultKind: Equatable {
    case number, date, text, duration, empty
    var name: String {
      switch self {
      case .number: return "a number"
      case .date: return "a date"
      case .text: return "text"
      case .duration: return "a duration"
      case .empty: return "empty"
      }
    }
  }

  private func valueTerm(_ expr: ValueExpr) throws(DiagnosticError) -> ValuePlan {
    switch expr {
    case .number(let number, _, _): return .constant(.number(number))
    case .duration(let duration, _): return .duration(duration)
    case .date(let day, _): return .constant(.date(day))
    case .relativeDay(let offset, _, _): return .constant(.date(today.adding(days: offset)))
    case .text(let text, _): return .constant(text.isEmpty ? .empty : .text(text))
    case .word(let word, _):
      if word.lowercased() == "empty" { return .constant(.empty) }
      if let field = Field(named: word) {
        guard field.kind != .tags, field.kind != .stage, field.kind != .status, field.kind != .pipeline else {
          throw error("\(field.rawValue) cannot be used in set arithmetic", expr.span)
        }
        return .field(field)
      }
      return .constant(.text(word))
    case .binary(let op, let left, let right):
      return .arithmetic(op, try valueTerm(left), try valueTerm(right))
    case .negate(let inner, _): return .negate(try valueTerm(inner))
    case .parameter(let name, let span): throw error("no value was given for $\(name)", span)
    }
  }

  private func resultKind(_ plan: ValuePlan, _ expr: ValueExpr) throws(DiagnosticError) -> ResultKind {
    switch plan {
    case .constant(.number): return .number
    case .constant(.date): return .date
    case .constant(.empty): return .empty
    case .constant: return .text
    case .duration: return .duration
    case .field(let field):
      switch field.kind {
      case .money, .integer, .days: return .number
      case .date: return .date
      default: return .text
      }
    case .negate(let inner):
      guard try resultKind(inner, expr) == .number else { throw error("only numbers can be negated", expr.span) }
      return .number
    case .arithmetic(let op, let a, let b):
      let left = try resultKind(a, expr)
      let right = try resultKind(b, expr)
      switch (left, op, right) {
      case (.number, _, .number): return .number
      case (.date, .add, .duration), (.date, .subtract, .duration), (.duration, .add, .date): return .date
      default:
        throw error("cannot compute \(left.name) \(op.rawValue) \(right.name)", expr.span)
      }
    }
  }
}
