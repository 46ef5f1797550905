import PipeqCore

/// A compact S-expression of a parsed statement, so parser tests read like the grammar.
enum ASTDump {
  static func dump(_ statement: Statement) -> String {
    switch statement {
    case .list(let list):
      var parts = ["list", "[" + list.fields.map(\.text).joined(separator: " ") + "]"]
      if let filter = list.filter { parts.append(dump(filter)) }
      if !list.order.isEmpty {
        parts.append(
          "(order " + list.order.map { "\($0.field.text) \($0.descending ? "desc" : "asc")" }.joined(separator: ", ")
            + ")")
      }
      if let limit = list.limit { parts.append("(limit \(limit))") }
      return "(" + parts.joined(separator: " ") + ")"
    case .count(let filter, let by):
      return "(count" + (filter.map { " " + dump($0) } ?? "")
        + (by.isEmpty ? "" : " (by \(by.map(dump).joined(separator: ", ")))") + ")"
    case .aggregate(let function, let field, let filter, let by):
      return "(\(function.rawValue) \(field.text)" + (filter.map { " " + dump($0) } ?? "")
        + (by.isEmpty ? "" : " (by \(by.map(dump).joined(separator: ", ")))") + ")"
    case .close(let outcome, let reason, let filter):
      return "(close \(outcome.rawValue)" + (reason.map { " (reason \"\($0.text)\")" } ?? "")
        + (filter.map { " " + dump($0) } ?? "") + ")"
    case .move(let stage, let pipeline, let filter):
      return "(move \(pipeline.map { $0.text + "/" } ?? "")\(stage.text)" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .set(let assignments, let filter):
      let sets = assignments.map { "(\($0.field.text) \(dump($0.value)))" }.joined(separator: " ")
      return "(set \(sets)" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .tag(let names, let filter):
      return "(tag \(names.map(\.text).joined(separator: " "))" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .untag(let names, let filter):
      return "(untag \(names.map(\.text).joined(separator: " "))" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .delete(let filter):
      return "(delete" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .explain(let inner, _):
      return "(explain \(dump(inner)))"
    case .meta(let command):
      return "(meta \(command))"
    case .history(let limit):
      return "(history" + (limit.map { " (limit \($0))" } ?? "") + ")"
    case .undo(.last(let count)):
      return "(undo \(count))"
    case .undo(.sequence(let sequence, _)):
      return "(undo #\(sequence))"
    case .redo:
      return "(redo)"
    case .log(let id, _):
      return "(log \(id))"
    case .define(let name, let body, _):
      return "(define \(name.text) \"\(body)\")"
    case .undefine(let name):
      return "(undefine \(name.text))"
    case .defs:
      return "(defs)"
    case .show(.deal(let id, _)):
      return "(show \(id))"
    case .show(.filter(let filter)):
      return "(show" + (filter.map { " " + dump($0) } ?? "") + ")"
    case .pipelines:
      return "(pipelines)"
    case .shape(let change):
      return "(shape \(change))"
    case .addDeal(let add):
      let fields = add.fields.map { " (\($0.field.text) \(dump($0.value)))" }.joined()
      return "(add-deal \"\(add.name.text)\"\(fields)" + (add.pipeline.map { " (in \($0.text))" } ?? "") + ")"
    case .asOf(let inner, let day):
      return "(as-of \(dump(day)) \(dump(inner)))"
    case .ranked(let inner, let order, let limit):
      let terms = order.map { " (order \($0.field.text)\($0.descending ? " desc" : ""))" }.joined()
      return "(ranked \(dump(inner))\(terms)" + (limit.map { " (limit \($0))" } ?? "") + ")"
    case .report(let report):
      var parts = [report.kind.rawValue] + dumpParts(report.report)
      if let filter = report.filter { parts.append(dump(filter)) }
      return "(" + parts.joined(separator: " ") + ")"
    case .call(let name, let arguments):
      return "(call \(name.text)" + arguments.map { " " + dump($0) }.joined() + ")"
    }
  }

  static func dump(_ grouping: Grouping) -> String {
    grouping.period.map { "\($0.text)(\(grouping.field.text))" } ?? grouping.field.text
  }

  static func dump(_ filter: FilterExpr) -> String {
    switch filter {
    case .and(let a, let b): return "(and \(dump(a)) \(dump(b)))"
    case .or(let a, let b): return "(or \(dump(a)) \(dump(b)))"
    case .not(let inner, _): return "(not \(dump(inner)))"
    case .reference(let name): return "(saved \(name.text))"
    case .test(let test):
      let field = test.field.text
      switch test.kind {
      case .compare(let op, let value): return "(\(op.rawValue) \(field) \(dump(value)))"
      case .contains(let value, let negated): return "(\(negated ? "!~" : "~") \(field) \(dump(value)))"
      case .oneOf(let values, let negated):
        return "(\(negated ? "not-in" : "in") \(field) \(values.map(dump).joined(separator: " ")))"
      case .between(let low, let high, let negated):
        return "(\(negated ? "not-between" : "between") \(field) \(dump(low)) \(dump(high)))"
      case .isEmpty(let negated): return "(\(negated ? "is-not-empty" : "is-empty") \(field))"
      case .period(let period, let negated): return "(\(negated ? "not-in" : "in") \(field) \(dump(period)))"
      }
    }
  }

  static func dump(_ period: PeriodExpr) -> String {
    switch period.kind {
    case .calendar(let unit, let last): return "(\(last ? "last" : "this") \(unit))"
    case .span(let duration): return "(last \(duration))"
    case .year(let year): return "(year \(year))"
    case .quarter(let year, let quarter): return "(quarter \(year) \(quarter))"
    case .month(let year, let month): return "(month \(year) \(month))"
    case .between(let low, let high): return "(between \(dump(low)) \(dump(high)))"
    }
  }

  static func dump(_ value: ValueExpr) -> String {
    switch value {
    case .number(let n, _, _): return n == n.rounded() ? String(Int64(n)) : String(n)
    case .duration(let d, _): return d.description
    case .date(let day, _): return day.description
    case .relativeDay(_, let word, _): return word
    case .text(let text, _): return "\"\(text)\""
    case .word(let word, _): return word
    case .binary(let op, let a, let b): return "(\(op.rawValue) \(dump(a)) \(dump(b)))"
    case .negate(let inner, _): return "(- \(dump(inner)))"
    case .parameter(let name, _): return "$\(name)"
    }
  }
}

extension ASTDump {
  /// A report's own clauses, in the order they are written.
  static func dumpParts(_ report: ReportStatement.Report) -> [String] {
    var parts: [String] = []
    switch report {
    case .board(let pipeline, let asOf):
      if let pipeline { parts.append("(pipeline \(pipeline.text))") }
      if let asOf { parts.append("(as-of \(dump(asOf)))") }
    case .funnel(let pipeline, let period, let strict, let asOf):
      if let pipeline { parts.append("(pipeline \(pipeline.text))") }
      if let period { parts.append(dump(period)) }
      if strict { parts.append("strict") }
      if let asOf { parts.append("(as-of \(dump(asOf)))") }
    case .health(let period), .team(let period):
      if let period { parts.append(dump(period)) }
    case .stale: break
    case .trend(let field, let grouping, let period):
      parts += [field.text, "(by \(dump(grouping)))"]
      if let period { parts.append(dump(period)) }
    }
    return parts
  }
}
