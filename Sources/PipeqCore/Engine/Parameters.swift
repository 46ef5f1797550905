/// Puts values in for `$name` and `$1`: script parameters (`--set period=2026-10`) and a
/// saved statement's arguments. A value takes the place (and the span) of its `$name`,
/// so a type error still points at the parameter in the text as written.
struct Parameters {
  var values: [String: ValueExpr]
  let source: SourceText

  /// Parses `--set` values: a single value (`2026-10-01`, `50k`, `bob`) as the
  /// language reads it, anything else as text.
  static func parse(_ raw: [String: String]) -> [String: ValueExpr] {
    var values: [String: ValueExpr] = [:]
    for (name, text) in raw {
      let source = SourceText(name: "$\(name)", text: text)
      var parser = Parser(source: source, tokens: (try? Lexer.tokens(source)) ?? [])
      if !parser.tokens.isEmpty, let value = try? parser.parseValue(), parser.current.kind == .end {
        values[name] = value
      } else {
        values[name] = .text(text, span: Span(0, source.bytes.count))
      }
    }
    return values
  }

  func statement(_ statement: Statement) throws(DiagnosticError) -> Statement {
    switch statement {
    case .list(var list):
      list.filter = try list.filter.map { f throws(DiagnosticError) in try filter(f) }
      return .list(list)
    case .asOf(let inner, let day): return .asOf(try self.statement(inner), day: try value(day))
    case .ranked(let inner, let order, let limit): return .ranked(try self.statement(inner), order: order, limit: limit)
    case .count(let f, let by): return .count(filter: try optional(f), by: by)
    case .aggregate(let function, let field, let f, let by):
      return .aggregate(function: function, field: field, filter: try optional(f), by: by)
    case .close(let outcome, let reason, let f):
      return .close(outcome: outcome, reason: reason, filter: try optional(f))
    case .move(let stage, let pipeline, let f): return .move(stage: stage, pipeline: pipeline, filter: try optional(f))
    case .set(let assignments, let f):
      var resolved: [Assignment] = []
      for assignment in assignments {
        resolved.append(Assignment(field: assignment.field, value: try value(assignment.value)))
      }
      return .set(assignments: resolved, filter: try optional(f))
    case .tag(let names, let f): return .tag(names: names, filter: try optional(f))
    case .untag(let names, let f): return .untag(names: names, filter: try optional(f))
    case .delete(let f): return .delete(filter: try optional(f))
    case .show(.filter(let f)): return .show(.filter(try optional(f)))
    case .addDeal(var add):
      var resolved: [Assignment] = []
      for assignment in add.fields {
        resolved.append(Assignment(field: assignment.field, value: try value(assignment.value)))
      }
      add.fields = resolved
      return .addDeal(add)
    case .explain(let inner, let span): return .explain(try self.statement(inner), span: span)
    case .call(let name, let arguments):
      var resolved: [ValueExpr] = []
      for argument in arguments { resolved.append(try value(argument)) }
      return .call(name: name, arguments: resolved)
    case .meta(.exportFile(let path, let span, let f, let raw)):
      return .meta(.exportFile(path: path, span: span, filter: try optional(f), raw: raw))
    case .report(var report):
      report.filter = try optional(report.filter)
      report.report = try report.mapping(
        periods: { p throws(DiagnosticError) in try period(p) }, days: { v throws(DiagnosticError) in try value(v) })
      return .report(report)
    default: return statement
    }
  }

  private func optional(_ expr: FilterExpr?) throws(DiagnosticError) -> FilterExpr? {
    guard let expr else { return nil }
    return try filter(expr)
  }

  func filter(_ expr: FilterExpr) throws(DiagnosticError) -> FilterExpr {
    switch expr {
    case .and(let a, let b): return .and(try filter(a), try filter(b))
    case .or(let a, let b): return .or(try filter(a), try filter(b))
    case .not(let inner, let span): return .not(try filter(inner), span: span)
    case .reference: return expr
    case .test(var test):
      switch test.kind {
      case .compare(let op, let v): test.kind = .compare(op, try value(v))
      case .contains(let v, let negated): test.kind = .contains(try value(v), negated: negated)
      case .oneOf(let values, let negated):
        var resolved: [ValueExpr] = []
        for v in values { resolved.append(try value(v)) }
        test.kind = .oneOf(resolved, negated: negated)
      case .between(let low, let high, let negated):
        test.kind = .between(try value(low), try value(high), negated: negated)
      case .period(let period, let negated):
        test.kind = .period(try self.period(period), negated: negated)
      case .isEmpty: break
      }
      return .test(test)
    }
  }

  /// `between $start and $end` takes its days from parameters like any value.
  func period(_ expr: PeriodExpr) throws(DiagnosticError) -> PeriodExpr {
    var period = expr
    if case .between(let low, let high) = period.kind { period.kind = .between(try value(low), try value(high)) }
    return period
  }

  func value(_ expr: ValueExpr) throws(DiagnosticError) -> ValueExpr {
    switch expr {
    case .parameter(let name, let span):
      guard let replacement = values[name] else {
        let known = values.keys.sorted().map { "$" + $0 }
        let positional = Int(name) != nil
        let hint =
          positional
          ? "run it with \(name) \(Int(name)! == 1 ? "argument" : "arguments"): NAME VALUE ..."
          : known.isEmpty ? "give it with --set \(name)=VALUE" : "parameters given: \(known.joined(separator: ", "))"
        throw DiagnosticError(.error("no value was given for $\(name)", at: span, in: source, help: hint))
      }
      return replacement.respanned(to: span)
    case .binary(let op, let a, let b): return .binary(op, try value(a), try value(b))
    case .negate(let inner, let span): return .negate(try value(inner), span: span)
    default: return expr
    }
  }
}

extension ValueExpr {
  /// The same value, placed at `span` (where its `$name` was written).
  func respanned(to span: Span) -> ValueExpr {
    switch self {
    case .number(let n, let text, _): return .number(n, text: text, span: span)
    case .duration(let d, _): return .duration(d, span: span)
    case .date(let day, _): return .date(day, span: span)
    case .relativeDay(let offset, let word, _): return .relativeDay(offset: offset, word: word, span: span)
    case .text(let text, _): return .text(text, span: span)
    case .word(let word, _): return .word(word, span: span)
    case .binary(let op, let a, let b): return .binary(op, a.respanned(to: span), b.respanned(to: span))
    case .negate(let inner, _): return .negate(inner.respanned(to: span), span: span)
    case .parameter(let name, _): return .parameter(name, span: span)
    }
  }
}
