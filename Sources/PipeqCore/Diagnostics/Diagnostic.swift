/// A problem found in a statement or an input file, with the place it points at.
///
/// The core never prints: diagnostics are values, and `DiagnosticRenderer` words them
/// for a terminal or a log.
public struct Diagnostic: Error, Sendable, Equatable {
  public enum Severity: String, Sendable { case error, warning, note }

  public var severity: Severity
  public var message: String
  /// Where in `source` the problem is; nil for problems without a place (a missing file).
  public var span: Span?
  public var source: SourceText?
  /// A location in another file (a CSV row) when the problem is not in statement text.
  public var location: String?
  public var help: String?

  public init(
    _ severity: Severity, _ message: String, at span: Span? = nil, in source: SourceText? = nil,
    location: String? = nil, help: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.span = span
    self.source = source
    self.location = location
    self.help = help
  }

  public static func error(
    _ message: String, at span: Span? = nil, in source: SourceText? = nil, help: String? = nil
  ) -> Diagnostic {
    Diagnostic(.error, message, at: span, in: source, help: help)
  }

  public static func == (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    lhs.severity == rhs.severity && lhs.message == rhs.message && lhs.span == rhs.span
      && lhs.location == rhs.location && lhs.help == rhs.help
  }
}

/// A run of diagnostics where the first error stops the statement.
public struct DiagnosticError: Error, Sendable {
  public var diagnostic: Diagnostic
  public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}
