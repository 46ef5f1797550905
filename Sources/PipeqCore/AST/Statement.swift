/// A parsed statement, before names are resolved against the store.
public indirect enum Statement: Sendable, Equatable {
  case list(ListStatement)
  case count(filter: FilterExpr?, by: [Grouping])
  case aggregate(function: AggregateFunction, field: Name, filter: FilterExpr?, by: [Grouping])
  case close(outcome: Outcome, reason: TextLiteral?, filter: FilterExpr?)
  /// `move [to] [PIPELINE/]STAGE where …`: a bare stage is looked up in each deal's own
  /// pipeline; `partners/intro` moves deals into that pipeline.
  case move(stage: Name, pipeline: Name?, filter: FilterExpr?)
  case set(assignments: [Assignment], filter: FilterExpr?)
  case tag(names: [Name], filter: FilterExpr?)
  case untag(names: [Name], filter: FilterExpr?)
  case delete(filter: FilterExpr?)
  case explain(Statement, span: Span)
  /// The mutating statements so far, newest last.
  case history(limit: Int?)
  case undo(UndoTarget)
  case redo
  /// Every change to one deal.
  case log(dealID: Int64, span: Span)
  /// `define NAME as FILTER-or-STATEMENT`: the text after `as`, kept as written.
  case define(name: Name, body: String, bodySpan: Span)
  case undefine(name: Name)
  case defs
  /// A saved statement run by name with arguments for `$1`, `$2`, …
  case call(name: Name, arguments: [ValueExpr])
  case meta(MetaCommand)
  /// board, funnel, health, team, stale, trend.
  case report(ReportStatement)
  /// `count by account order by count desc limit 5`: a count or aggregate's groups in
  /// the order of one column, the first N of them.
  case ranked(Statement, order: [OrderTerm], limit: Int?)
  /// `… as of DATE`: a list, count or aggregate on the pipeline as it stood that day.
  case asOf(Statement, day: ValueExpr)
  /// `show 42`, `show where FILTER`: deals one by one, every field, vertically.
  case show(ShowTarget)
  /// `add deal NAME [FIELD VALUE …] [in PIPELINE]`: one new deal.
  case addDeal(AddDealStatement)
  /// Every pipeline with its stages in order.
  case pipelines
  /// Pipelines and stages created, renamed, reordered, removed or set.
  case shape(PipelineChange)

  public enum Outcome: String, Sendable { case won, lost }

  /// True for statements that change deals.
  public var isMutating: Bool {
    switch self {
    case .close, .move, .set, .tag, .untag, .delete, .undo, .redo, .define, .undefine, .call, .addDeal, .shape:
      return true
    case .meta(.importFile): return true
    default: return false
    }
  }
}

/// `add deal "Acme renewal" account "Acme Ltd" value 12k stage lead in sales`.
public struct AddDealStatement: Sendable, Equatable {
  public var name: TextLiteral
  /// Each `FIELD VALUE` pair, as written.
  public var fields: [Assignment]
  public var pipeline: Name?
  /// The whole statement, for errors about what it lacks.
  public var span: Span
}

/// What `show` shows: one deal by id, or the first deals a filter finds.
public enum ShowTarget: Sendable, Equatable {
  case deal(Int64, span: Span)
  case filter(FilterExpr?)
}

public enum UndoTarget: Sendable, Equatable {
  /// The last `count` actions that still stand.
  case last(Int)
  /// One action by its number, when no later action touched the same deals.
  case sequence(UInt64, span: Span)
}

public struct ListStatement: Sendable, Equatable {
  public var fields: [Name]
  public var filter: FilterExpr?
  public var order: [OrderTerm]
  public var limit: Int?
}

public struct OrderTerm: Sendable, Equatable {
  public var field: Name
  public var descending: Bool
}

public enum AggregateFunction: String, Sendable, CaseIterable {
  case sum, avg, min, max, median
}

/// `by owner`, or `by month(created)`: a date field grouped by calendar period.
public struct Grouping: Sendable, Equatable {
  public var field: Name
  /// `week`, `month`, `quarter` or `year`, as written.
  public var period: Name?
}

/// A word as written, with its span: a field, stage, tag or pipeline name.
public struct Name: Sendable, Equatable {
  public var text: String
  public var span: Span
  public init(_ text: String, _ span: Span) {
    self.text = text
    self.span = span
  }
}

public struct TextLiteral: Sendable, Equatable {
  public var text: String
  public var span: Span
}

public struct Assignment: Sendable, Equatable {
  public var field: Name
  public var value: ValueExpr
}

/// Dot-commands: settings and files, not deal queries.
public enum MetaCommand: Sendable, Equatable {
  case importFile(path: String, span: Span, options: ImportOptions = ImportOptions())
  /// `raw` keeps cells that start like a spreadsheet formula as they are.
  case exportFile(path: String, span: Span, filter: FilterExpr?, raw: Bool = false)
  /// `.export changes since #SEQ|DATE PATH`: what pipeq changed, for the CRM's import.
  case exportChanges(since: ChangesSince, path: String, span: Span, raw: Bool = false)
  case mode(String, span: Span)
  case now(String?, span: Span)
  case timer(Bool)
  case checkpoint
  /// Runs a script file's statements here.
  case read(path: String, span: Span)
  /// Sends results to a file (nil: back to standard output).
  case output(path: String?, span: Span)
  /// Writes every saved query as `define` statements.
  case exportDefinitions(path: String, span: Span)
  case help(topic: String?)
  case quit
  /// `.schema [KIND]`, `fields [KIND]`: the fields of a record kind, with what each holds.
  case schema(kind: TextLiteral?)
  /// `.rows N|all`: how many rows a table shows on a terminal when no pager takes it
  /// (nil: show the setting).
  case rows(limit: RowLimit?)
  /// `.pager on|off`: whether a result taller than the screen goes through the pager.
  case pager(Bool?)

  public enum RowLimit: Sendable, Equatable {
    case all
    case first(Int)
  }
  /// `.currency`, `.rate`, `.probability`, `.rotting`: show the setting (no words) or set
  /// it (`.rate USD 0.92`; `none` puts back the default).
  case setting(Setting, words: [TextLiteral], span: Span)

  public enum Setting: String, Sendable, CaseIterable { case currency, rate, probability, rotting }
}

/// Where `.export changes since` starts: after a journal record, or from a day on.
public enum ChangesSince: Sendable, Equatable {
  case sequence(UInt64, span: Span)
  case day(Day, span: Span)
}
