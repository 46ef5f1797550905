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
  /// The sentence a person reads: "closed 1,204 deals as lost; 310 were already lost".
  public var summary: String
  /// The first changed deals with the fields being changed, old → new.
  public var preview: ResultTable
}
