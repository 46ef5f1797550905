/// A `where` filter as written. Negated comparisons (`!=`, `!~`, `not in`,
/// `not between`) are kept as written so `explain` can show them; the planner turns
/// them into the complement of the positive test.
public indirect enum FilterExpr: Sendable, Equatable {
  case and(FilterExpr, FilterExpr)
  case or(FilterExpr, FilterExpr)
  case not(FilterExpr, span: Span)
  case test(Test)
  /// A saved filter used by name: `where stale and owner = bob`.
  case reference(Name)

  public var span: Span {
    switch self {
    case .and(let left, let right), .or(let left, let right): return left.span.to(right.span)
    case .not(_, let span): return span
    case .test(let test): return test.span
    case .reference(let name): return name.span
    }
  }
}

public struct Test: Sendable, Equatable {
  public enum Comparison: String, Sendable {
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">="
  }

  public enum Kind: Sendable, Equatable {
    case compare(Comparison, ValueExpr)
    case contains(ValueExpr, negated: Bool)
    case oneOf([ValueExpr], negated: Bool)
    case between(ValueExpr, ValueExpr, negated: Bool)
    /// `closed in last quarter`: a date within the period.
    case period(PeriodExpr, negated: Bool)
    case isEmpty(negated: Bool)
  }

  public var field: Name
  public var kind: Kind
  public var span: Span
}
