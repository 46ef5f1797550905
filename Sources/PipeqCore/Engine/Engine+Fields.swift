extension Engine {
  /// The kinds of record `fields KIND` knows; deals are the only kind statements work on.
  static let recordKinds = ["deals", "deal"]

  /// `fields [KIND]` / `.schema`: every field of a kind with its type, whether it is
  /// stored or worked out, and what it holds.
  func fieldsTable(kind: TextLiteral?, source: SourceText) throws(DiagnosticError) -> ResultTable {
    if let kind, !Engine.recordKinds.contains(kind.text.lowercased()) {
      throw DiagnosticError(
        .error("no kind of record is called '\(kind.text)'", at: kind.span, in: source, help: "fields deals"))
    }
    let rows: [[Value]] = Field.allCases.map { field in
      [
        .text(field.rawValue), .text(field.kindName), .text(field.isDerived ? "derived" : "stored"),
        .text(field.meaning),
      ]
    }
    var table = ResultTable(columns: ["field", "type", "kept", "meaning"], rows: rows)
    table.wrapping = ["meaning"]
    return table
  }
}
