/// A period as written after `in` in a filter or after a report: resolved against the
/// session's date at planning, like `today`.
public struct PeriodExpr: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// `this month`, `last quarter`: `last` is true for the one before the current.
    case calendar(unit: String, last: Bool)
    /// `last 90d`, `last 6mo`: the days from that long ago through today.
    case span(Duration)
    /// `2026`, `2026-q3`, `2026-10`.
    case year(Int)
    case quarter(year: Int, quarter: Int)
    case month(year: Int, month: Int)
    /// `between DATE and DATE`, both days included.
    case between(ValueExpr, ValueExpr)
  }

  public var kind: Kind
  public var span: Span
}
