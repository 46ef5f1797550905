import PipeqCore

/// How results are written: aligned tables for people, CSV and JSON for programs.
public enum OutputFormat: String, Sendable, CaseIterable {
  /// `line`: every row of a table as a record, one field per line (reports and messages
  /// as in `table`).
  case table, csv, json, line

  /// Renders a statement's result in this format.
  /// `footer: false` leaves out the dry-run line (the confirmation prompt follows instead).
  func render(_ result: StatementResult, tableRenderer: TableRenderer, footer: Bool = true) -> String {
    switch result {
    case .table(let table):
      switch self {
      case .table: return tableRenderer.render(table)
      case .line: return LineLayout.render(table, width: tableRenderer.maxWidth ?? 100)
      case .csv: return CSVWriter.render(table)
      case .json: return JSONWriter.render(table)
      }
    case .action(let report):
      switch self {
      case .table, .line:
        var out = VisibleText.of(report.summary) + "\n"
        if report.dryRun {
          if !report.preview.rows.isEmpty { out += tableRenderer.render(report.preview) }
          if footer { out += "(dry run: nothing was changed)\n" }
        }
        return out
      case .csv:
        let id: [Value] = report.newID.map { [.integer($0)] } ?? []
        return CSVWriter.render(
          ResultTable(
            columns: ["action", "changed", "unchanged", "dry_run"] + (id.isEmpty ? [] : ["id"]),
            rows: [
              [
                .text(report.action), .integer(Int64(report.changed)), .integer(Int64(report.unchanged)),
                .text(String(report.dryRun)),
              ] + id
            ]))
      case .json:
        let id = report.newID.map { [("id", String($0))] } ?? []
        return JSONWriter.object(
          [
            ("action", JSONWriter.quote(report.action)), ("changed", String(report.changed)),
            ("unchanged", String(report.unchanged)), ("dry_run", String(report.dryRun)),
            ("summary", JSONWriter.quote(report.summary)),
          ] + id) + "\n"
      }
    case .report(let report):
      switch self {
      case .table, .line: return VisibleText.of(report.text(tableRenderer.maxWidth ?? 100), keepLines: true)
      case .csv: return CSVWriter.render(report.table)
      case .json: return report.json
      }
    case .plan(let text):
      return VisibleText.of(text, keepLines: true) + "\n"
    case .message(let text):
      switch self {
      case .json: return JSONWriter.object([("message", JSONWriter.quote(text))]) + "\n"
      default: return VisibleText.of(text, keepLines: true) + "\n"
      }
    }
  }
}
