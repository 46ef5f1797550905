/// Whether a saved query is a filter (used after `where`) or a statement (run by its
/// name): decided in this one place, from its text, for `define`, the planner, `defs`,
/// calls and completion alike.
public enum SavedQueryKind: String, Sendable {
  case filter, statement

  /// A body that opens with a statement's keyword is a statement; any other is a filter.
  /// `define` checks the body as that kind, so a stored query always parses as its kind.
  public init(body: String) {
    let first = body.drop(while: { $0 == " " || $0 == "\t" || $0 == "\n" }).prefix { $0.isLetter }.lowercased()
    self = Keywords.statements.contains(first) ? .statement : .filter
  }
}
