import PipeqCore

/// Whether a script may change the store, judged before it runs: a run that only reads
/// does not create a store where there is none.
public enum ChangeFinder {
  /// True when a statement of `source` changes deals, settings or saved queries, or
  /// reads another script (which may). Statements that do not parse change nothing: the
  /// run stops at them first.
  public static func mayChange(_ source: SourceText) -> Bool {
    StatementSplitter.split(source).contains { span in
      guard let statement = try? Parser.parse(source, span: span) else { return false }
      switch statement {
      case .meta(.read), .meta(.checkpoint): return true
      case .meta(.setting(_, let words, _)): return !words.isEmpty
      case .explain: return false
      default: return statement.isMutating
      }
    }
  }
}
