import Foundation

/// Aligned text tables: numbers right-aligned with thousands separators, text left,
/// long cells cut with … to fit `maxCellWidth`.
public struct TableRenderer: Sendable {
  public var maxCellWidth: Int

  public init(maxCellWidth: Int = 40) { self.maxCellWidth = maxCellWidth }

  public func render(_ table: ResultTable) -> String {
    // Ids are names, not quantities: no thousands separators.
    let plainColumns = Set(table.columns.indices.filter { table.columns[$0] == "id" })
    let cells = table.rows.map { row in
      row.enumerated().map { index, value in
        fit(plainColumns.contains(index) ? ValueFormatter.plain(value) : ValueFormatter.display(value))
      }
    }
    let numeric = table.columns.indices.map { column in
      table.rows.contains { ValueFormatter.isNumeric($0[column]) }
    }
    var widths = table.columns.map(\.count)
    for row in cells {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ row: [String]) -> String {
      row.enumerated().map { index, cell in
        let pad = String(repeating: " ", count: widths[index] - cell.count)
        return numeric[index] ? pad + cell : cell + pad
      }.joined(separator: "  ").replacing(/\s+$/, with: "")
    }
    var out = line(table.columns) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for row in cells { out += line(row) + "\n" }
    let shown = table.rows.count
    if let noun = table.rowNoun {
      let total = max(table.totalRows ?? shown, shown)
      let nouns = total == 1 ? noun : noun + "s"
      out +=
        total > shown
        ? "(\(Format.count(shown)) of \(Format.count(total)) \(nouns))\n" : "(\(Format.count(shown)) \(nouns))\n"
    }
    return out
  }

  private func fit(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    guard flat.count > maxCellWidth else { return flat }
    return String(flat.prefix(maxCellWidth - 1)) + "…"
  }
}
