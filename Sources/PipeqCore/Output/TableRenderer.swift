import Foundation

/// Aligned text tables: numbers right-aligned with thousands separators, text left. At a
/// terminal's width (`maxWidth`) the table is laid out to fit (`TableLayout`): long text
/// wraps, columns that may go are left out and said so, other cells are cut with ….
public struct TableRenderer: Sendable {
  /// The longest a cell gets where no width is known (scripts): cut with ….
  public var maxCellWidth: Int
  /// The terminal's width: the table is laid out to fit it.
  public var maxWidth: Int?
  /// Colours a cell's text (the REPL colours stages and statuses); widths are measured
  /// on the plain text, padding stays outside the colour.
  public var decorate: (@Sendable (_ column: String, _ value: Value, _ text: String) -> String)?

  public init(maxCellWidth: Int = 60, maxWidth: Int? = nil) {
    self.maxCellWidth = maxCellWidth
    self.maxWidth = maxWidth
  }

  public func render(_ table: ResultTable) -> String {
    let cells = table.rows.map { row in row.indices.map { cellLines(table, row, $0) } }
    let headers = table.columns.map { VisibleText.of($0) }
    let numeric = table.columns.indices.map { column in
      table.rows.contains { ValueFormatter.isNumeric($0[column]) }
    }
    let columns = headers.indices.map { index in
      TableLayout.Column(
        header: headers[index].displayWidth,
        natural: cells.reduce(headers[index].displayWidth) { widest, row in
          row[index].reduce(widest) { max($0, $1.displayWidth) }
        },
        neverCut: numeric[index] || table.rows.contains { if case .date = $0[index] { true } else { false } },
        wraps: table.wrapping.contains(table.columns[index]))
    }
    let leaveOut = table.leaveOut.compactMap { table.columns.firstIndex(of: $0) }
    let layout = TableLayout.plan(columns, width: maxWidth, leaveOut: leaveOut)
    var out = line(headers.map { [$0] }, table, layout, numeric, values: nil)
    out += layout.shown.map { String(repeating: "-", count: layout.widths[$0]) }.joined(separator: "  ") + "\n"
    for (row, values) in zip(cells, table.rows) {
      out += line(row, table, layout, numeric, values: values, wraps: columns.map(\.wraps))
    }
    out += table.countLine ?? ""
    if !layout.leftOut.isEmpty, let maxWidth {
      let names = layout.leftOut.map { headers[$0] }.joined(separator: ", ")
      let note = "(left out to fit \(maxWidth) columns: \(names); .mode line shows every field)"
      out += note.wrapped(to: max(20, maxWidth)).map { $0 + "\n" }.joined()
    }
    return out
  }

  /// One row, each cell on as many lines as it needs (wrapped or cut to its column).
  private func line(
    _ row: [[String]], _ table: ResultTable, _ layout: TableLayout, _ numeric: [Bool], values: [Value]?,
    wraps: [Bool]? = nil
  ) -> String {
    let shaped = layout.shown.map { index in
      let width = max(2, layout.widths[index])
      return row[index].flatMap { text -> [String] in
        wraps?[index] == true && text.displayWidth > width ? text.wrapped(to: width) : [text.fitted(to: width)]
      }
    }
    let height = shaped.map(\.count).max() ?? 1
    var out = ""
    for lineIndex in 0..<height {
      let parts = zip(layout.shown, shaped).map { index, lines in
        let cell = lineIndex < lines.count ? lines[lineIndex] : ""
        let pad = String(repeating: " ", count: max(0, layout.widths[index] - cell.displayWidth))
        var shown = cell
        if let decorate, let values, lineIndex == 0 { shown = decorate(table.columns[index], values[index], cell) }
        return numeric[index] ? pad + shown : shown + pad
      }
      out += parts.joined(separator: "  ").replacing(/\s+$/, with: "") + "\n"
    }
    return out
  }

  /// A cell's text, a line per line it holds (a total in several currencies is one line
  /// per currency); control characters made visible. Ids are names: no separators.
  private func cellLines(_ table: ResultTable, _ row: [Value], _ index: Int) -> [String] {
    let value = row[index]
    if index < table.keyColumns && value.isEmpty { return ["(none)"] }
    let text = table.columns[index] == "id" ? ValueFormatter.plain(value) : ValueFormatter.display(value)
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let shown = VisibleText.of(String(line))
      guard maxWidth == nil, shown.count > maxCellWidth else { return shown }
      return String(shown.prefix(maxCellWidth - 1)) + "…"
    }
  }
}

extension ResultTable {
  /// `(12 deals)`, `(10 of 279 deals)`: the line under a table, when it counts its rows.
  public var countLine: String? {
    guard let noun = rowNoun else { return nil }
    let shown = rows.count
    let total = max(totalRows ?? shown, shown)
    let nouns = total == 1 ? noun : noun.hasSuffix("y") ? noun.dropLast() + "ies" : noun + "s"
    let hint = moreHint.map { "; " + $0 } ?? ""
    return total > shown
      ? "(\(Format.count(shown)) of \(Format.count(total)) \(nouns)\(hint))\n"
      : "(\(Format.count(shown)) \(nouns)\(hint))\n"
  }
}
