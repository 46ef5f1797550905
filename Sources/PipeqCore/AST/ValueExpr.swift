/// A value or arithmetic on values, as written: the right side of a test or of `set`.
public indirect enum ValueExpr: Sendable, Equatable {
  case number(Double, text: String, span: Span)
  case duration(Duration, span: Span)
  /// `YYYY-MM-DD`, already checked to be a real day.
  case date(Day, span: Span)
  /// `today`, `yesterday`, `tomorrow`: resolved against the session's date at planning.
  case relativeDay(offset: Int, word: String, span: Span)
  case text(String, span: Span)
  /// A bare word: a field name in `set` arithmetic, otherwise a value (`won`, `alice`).
  case word(String, span: Span)
  case binary(BinaryOperator, ValueExpr, ValueExpr)
  case negate(ValueExpr, span: Span)
  /// `$period`, `$1`: a script parameter or a saved query's argument.
  case parameter(String, span: Span)

  public enum BinaryOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

  public var span: Span {
    switch self {
    case .number(_, _, let span), .duration(_, let span), .date(_, let span),
      .relativeDay(_, _, let span), .text(_, let span), .word(_, let span), .negate(_, let span),
      .parameter(_, let span):
      return span
    case .binary(_, let left, let right): return left.span.to(right.span)
    }
  }
}
