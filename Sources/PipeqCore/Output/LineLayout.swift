/// One record per block, one field per line (`.mode line`, `show`): a name column, then
/// the value wrapped under itself, so nothing is cut at any terminal width.
public enum LineLayout {
  /// A record's `(name, text)` pairs as lines of at most `width` columns, each indented by
  /// two; an empty value is an empty line after its name.
  public static func record(_ pairs: [(name: String, text: String)], width: Int) -> String {
    let label = (pairs.map(\.name.displayWidth).max() ?? 0) + 2
    let room = max(12, width - label - 2)
    var out = ""
    for pair in pairs {
      for (index, line) in VisibleText.of(pair.text).wrapped(to: room).enumerated() {
        let name = index == 0 ? VisibleText.of(pair.name) : ""
        let text = "  " + name.padded(to: label) + line
        out += text.replacing(/\s+$/, with: "") + "\n"
      }
    }
    return out
  }

  /// Every row of a table as a record, blank lines between them, then the count.
  public static func render(_ table: ResultTable, width: Int) -> String {
    let plain = Set(table.columns.indices.filter { table.columns[$0] == "id" })
    let records = table.rows.map { row in
      record(
        table.columns.indices.map { index in
          let value = row[index]
          let text =
            index < table.keyColumns && value.isEmpty
            ? "(none)" : plain.contains(index) ? ValueFormatter.plain(value) : ValueFormatter.display(value)
          return (table.columns[index], text)
        }, width: width)
    }
    return records.joined(separator: "\n") + (table.countLine.map { "\n" + $0 } ?? "")
  }
}
