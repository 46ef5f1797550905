/// What a statement will do, checked and resolved. `explain` prints `description`.
public indirect enum Plan: Sendable {
  case list(ListPlan)
  case aggregate(AggregatePlan)
  case action(ActionPlan)
  case report(ReportPlan)
  /// A read on the pipeline as it stood on a day (stages from the history).
  case asOf(Plan, Day)
  case explain(Plan)
  /// Deals shown whole, one by one.
  case show(ShowPlan)

  /// Whether running it changes the store (only actions do).
  public var changes: Bool {
    if case .action = self { return true }
    return false
  }
}

/// `show`: the deals, at most `limit` of them, in id order.
public struct ShowPlan: Sendable {
  public var filter: FilterPlan
  public var limit: Int
  /// Every deal `show where` shows at most.
  public static let limit = 10
}

public struct ListPlan: Sendable {
  public var fields: [Field]
  public var filter: FilterPlan
  public var order: [(field: Field, descending: Bool)]
  public var limit: Int?
}

public struct AggregatePlan: Sendable {
  public enum Function: String, Sendable { case count, sum, avg, min, max, median }
  public var function: Function
  public var field: Field?
  public var filter: FilterPlan
  /// `by owner, month(created)`: each field, and for a date field grouped by calendar
  /// period, the period.
  public var groups: [Group] = []
  /// `order by count desc limit 5`: the groups in the order of one result column (a
  /// group or the figure), then the first N.
  public var ranking: Ranking?

  public struct Ranking: Sendable {
    public var column: Int
    public var descending: Bool
    public var limit: Int?
  }

  public struct Group: Sendable {
    public var field: Field
    public var period: Period.Unit?
  }
}

public struct ActionPlan: Sendable {
  public enum Kind: Sendable {
    case close(DealStatus, reason: String?)
    /// `pipeline`: into that pipeline's stage; nil: the stage of that name in each deal's own.
    case move(stageName: String, span: Span, pipeline: String?)
    case set([(Field, ValuePlan)])
    case tag([String])
    case untag([String])
    case delete
  }
  public var kind: Kind
  public var filter: FilterPlan
  /// The statement as typed, kept with the change for history and undo.
  public var statement: String
}

/// The right side of a `set` assignment, with field references resolved.
public indirect enum ValuePlan: Sendable {
  case constant(Value)
  case field(Field)
  case duration(Duration)
  case arithmetic(ValueExpr.BinaryOperator, ValuePlan, ValuePlan)
  case negate(ValuePlan)
}

extension Plan: CustomStringConvertible {
  public var description: String {
    switch self {
    case .list(let plan):
      var lines = ["list \(plan.fields.map(\.rawValue).joined(separator: ", "))", "  where \(plan.filter)"]
      if !plan.order.isEmpty {
        let terms = plan.order.map { "\($0.field.rawValue) \($0.descending ? "desc" : "asc")" }
        lines.append("  order by \(terms.joined(separator: ", ")), then id; empty values last")
      } else {
        lines.append("  order by id")
      }
      if let limit = plan.limit { lines.append("  limit \(limit)") }
      return lines.joined(separator: "\n")
    case .aggregate(let plan):
      var head = plan.function.rawValue
      if let field = plan.field { head += " \(field.rawValue)" }
      var lines = [head, "  where \(plan.filter)"]
      if !plan.groups.isEmpty {
        lines.append("  group by " + plan.groups.map(Executor.groupHeading).joined(separator: ", "))
      }
      if let ranking = plan.ranking {
        let column =
          ranking.column < plan.groups.count
          ? Executor.groupHeading(plan.groups[ranking.column]) : plan.function.rawValue
        var line = "  groups ordered by \(column) \(ranking.descending ? "desc" : "asc")"
        if let limit = ranking.limit { line += ", the first \(limit)" }
        lines.append(line)
      }
      return lines.joined(separator: "\n")
    case .action(let plan):
      return "\(plan.kind)\n  where \(plan.filter)\n  all or nothing; written to disk before it reports"
    case .report(let plan):
      var lines = ["\(plan.kind.rawValue)", "  where \(plan.filter)"]
      if let period = plan.period {
        lines.append("  period \(period), compared with \(period.previous.first) to \(period.previous.last)")
      }
      if let day = plan.asOf { lines.append("  as the pipeline stood on \(day), from the stage history") }
      return lines.joined(separator: "\n")
    case .asOf(let inner, let day):
      return inner.description
        + "\n  as the pipeline stood on \(day): stages from the stage history, other fields as they are now"
    case .explain(let inner):
      return inner.description
    case .show(let plan):
      return "show every field of each deal, at most \(plan.limit), in id order\n  where \(plan.filter)"
    }
  }
}

extension ActionPlan.Kind: CustomStringConvertible {
  public var description: String {
    switch self {
    case .close(let status, let reason):
      let because = reason.map { " with reason '\($0)'" } ?? ""
      return "close as \(status.rawValue)\(because): stage, stage_entered = today, closed = today"
    case .move(let stage, _, let pipeline?):
      return "move to stage '\(stage)' of pipeline '\(pipeline)'; stage_entered = today"
    case .move(let stage, _, nil): return "move to stage '\(stage)' of each deal's pipeline; stage_entered = today"
    case .set(let assignments):
      return "set " + assignments.map { "\($0.0.rawValue) = \($0.1)" }.joined(separator: ", ")
    case .tag(let tags): return "add tags \(tags.joined(separator: ", "))"
    case .untag(let tags): return "remove tags \(tags.joined(separator: ", "))"
    case .delete: return "delete deals"
    }
  }
}

extension ValuePlan: CustomStringConvertible {
  public var description: String {
    switch self {
    case .constant(let value): return ValueFormatter.plain(value).isEmpty ? "empty" : ValueFormatter.plain(value)
    case .field(let field): return field.rawValue
    case .duration(let duration): return duration.description
    case .arithmetic(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
    case .negate(let inner): return "-\(inner)"
    }
  }
}
