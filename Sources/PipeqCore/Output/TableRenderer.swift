import Foundation

/// Aligned text tables: numbers right-aligned with thousands separators, text left,
/// long cells cut with … to fit `maxCellWidth`.
public struct TableRenderer: Sendable {
  public var maxCellWidth: Int
  /// The terminal's width: text columns are cut (with …) until the table fits.
  public var maxWidth: Int?
  /// Colours a cell's text (the REPL colours stages and statuses); widths are measured
  /// on the plain text, padding stays outside the colour.
  public var decorate: (@Sendable (_ column: String, _ value: Value, _ text: String) -> String)?

  public init(maxCellWidth: Int = 60, maxWidth: Int? = nil) {
    self.maxCellWidth = maxCellWidth
    self.maxWidth = maxWidth
  }

  public func render(_ table: ResultTable) -> String {
    // Ids are names, not quantities: no thousands separators.
    let plainColumns = Set(table.columns.indices.filter { table.columns[$0] == "id" })
    let cells = table.rows.map { row in
      row.enumerated().map { index, value in
        if index < table.keyColumns && value.isEmpty { return "(none)" }
        return fit(
          VisibleText.of(plainColumns.contains(index) ? ValueFormatter.plain(value) : ValueFormatter.display(value)))
      }
    }
    let numeric = table.columns.indices.map { column in
      table.rows.contains { ValueFormatter.isNumeric($0[column]) }
    }
    var table = table
    table.columns = table.columns.map { VisibleText.of($0) }
    var widths = table.columns.map(\.displayWidth)
    for row in cells {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) }
    }
    if let maxWidth { shrink(&widths, numeric: numeric, headers: table.columns, to: maxWidth) }
    func line(_ row: [String], values: [Value]?) -> String {
      row.enumerated().map { index, raw in
        let cell = raw.fitted(to: max(2, widths[index]))
        let pad = String(repeating: " ", count: max(0, widths[index] - cell.displayWidth))
        var shown = cell
        if let decorate, let values { shown = decorate(table.columns[index], values[index], cell) }
        return numeric[index] ? pad + shown : shown + pad
      }.joined(separator: "  ").replacing(/\s+$/, with: "")
    }
    var out = line(table.columns, values: nil) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for (row, values) in zip(cells, table.rows) { out += line(row, values: values) + "\n" }
    return out + (table.countLine ?? "")
  }

  /// Narrows the widest text columns until the row fits, never below 6 characters.
  private func shrink(_ widths: inout [Int], numeric: [Bool], headers: [String], to maxWidth: Int) {
    var total: Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
    while total > maxWidth {
      let candidates = widths.indices.filter { !numeric[$0] && widths[$0] > max(6, headers[$0].count) }
      guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { return }
      widths[widest] -= 1
    }
  }

  private func fit(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    guard flat.count > maxCellWidth else { return flat }
    return String(flat.prefix(maxCellWidth - 1)) + "…"
  }
}

extension ResultTable {
  /// `(12 deals)`, `(10 of 279 deals)`: the line under a table, when it counts its rows.
  public var countLine: String? {
    guard let noun = rowNoun else { return nil }
    let shown = rows.count
    let total = max(totalRows ?? shown, shown)
    let nouns = total == 1 ? noun : noun.hasSuffix("y") ? noun.dropLast() + "ies" : noun + "s"
    return total > shown
      ? "(\(Format.count(shown)) of \(Format.count(total)) \(nouns))\n" : "(\(Format.count(shown)) \(nouns))\n"
  }
}
