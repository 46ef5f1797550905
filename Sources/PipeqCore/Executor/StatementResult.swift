/// What a statement produced, as data; the shell renders it as a table, CSV or JSON.
public enum StatementResult: Sendable {
  case table(ResultTable)
  case action(ActionReport)
  case plan(String)
  case message(String)
  case report(ReportResult)
}

/// Rows and named columns.
public struct ResultTable: Sendable, Equatable {
  public var columns: [String]
  public var rows: [[Value]]
  /// Total matching rows before `limit`, when a limit cut the list.
  public var totalRows: Int?
  /// What a row is ("deal", "action"), for the count under a table; nil for no count.
  public var rowNoun: String?
  /// How many leading columns are group keys: an empty key reads `(none)` to people
  /// (CSV and JSON keep it empty and null).
  public var keyColumns = 0
  /// Said after the count when rows were left out for the screen (how to see them).
  public var moreHint: String?
  /// Columns of long text that wrap onto more lines at a narrow width, rather than
  /// being cut.
  public var wrapping: Set<String> = []
  /// Columns that may be left out when the table is too wide, the first to go first.
  public var leaveOut: [String] = []

  public init(columns: [String], rows: [[Value]], totalRows: Int? = nil, rowNoun: String? = nil) {
    self.columns = columns
    self.rows = rows
    self.totalRows = totalRows
    self.rowNoun = rowNoun
  }
}

/// How a bulk action went (or, in a dry run, would go).
public struct ActionReport: Sendable {
  /// `close lost`, `move`, `set`, …
  public var action: String
  public var changed: Int
  /// Matched deals that needed no change (already lost, already tagged).
  public var unchanged: Int
  public var dryRun: Bool
  /// The sentence a person reads, before and after: "would close 1,204 deals as lost",
  /// "closed 1,204 deals as lost; 310 were already lost".
  public var wording: Wording
  /// The first changed deals with the fields being changed, old → new.
  public var preview: ResultTable
  /// Whether the interactive session asks before writing it: a change of more than one
  /// deal, or one that replaces a saved query.
  public var asks: Bool
  /// The id of the deal the action created (`add deal`), for scripts to read.
  public var newID: Int64?

  public struct Wording: Sendable, Equatable {
    public var preview: String
    public var done: String

    public init(preview: String, done: String) {
      self.preview = preview
      self.done = done
    }
  }

  public var summary: String { dryRun ? wording.preview : wording.done }

  public init(
    action: String, changed: Int, unchanged: Int, dryRun: Bool, wording: Wording, preview: ResultTable,
    asks: Bool? = nil
  ) {
    self.action = action
    self.changed = changed
    self.unchanged = unchanged
    self.dryRun = dryRun
    self.wording = wording
    self.preview = preview
    self.asks = asks ?? (changed > 1)
  }
}
