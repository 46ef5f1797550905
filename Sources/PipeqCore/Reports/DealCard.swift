/// One deal shown whole (`show 42`): every stored and derived field, its tags, and its
/// latest changes from the journal, laid out one field per line so nothing is cut at
/// any terminal width.
public struct DealCard: Sendable, Equatable {
  public var id: Int64
  /// Every field but the id, stored then derived, as the deal has it now.
  public var fields: [Field: Value]
  /// Its latest changes, oldest first.
  public var changes: [Change]

  public struct Change: Sendable, Equatable {
    public var sequence: UInt64
    public var time: String
    public var field: String
    public var before: Value
    public var after: Value
  }

  /// The fields in the order they are shown: the stored ones as the template lists
  /// them, then the derived ones.
  public static let shownFields = Field.stored.filter { $0 != .id } + Field.allCases.filter(\.isDerived)

  /// The deal in `row`, with `changes` (any number; the latest `recentChanges` are kept).
  public init(row: Int, of table: DealTable, today: Day, changes: [Change]) {
    id = table.ids[row]
    var fields: [Field: Value] = [:]
    for field in DealCard.shownFields { fields[field] = table.value(field, at: row, today: today) }
    self.fields = fields
    self.changes = Array(changes.suffix(DealCard.recentChanges))
  }

  /// How many of a deal's changes a card shows (`log deal` shows them all).
  public static let recentChanges = 5

  /// The card as lines of at most `width` columns: a field's value wraps under itself.
  public func text(width: Int) -> String {
    var out = "deal \(id)\n"
    out += LineLayout.record(
      DealCard.shownFields.map { field in
        let value = fields[field] ?? .empty
        let shown = ValueFormatter.display(value)
        return (field.rawValue, field == .probability && !value.isEmpty ? shown + "%" : shown)
      }, width: width)
    let heading =
      changes.isEmpty
      ? "(no changes recorded; `log deal \(id)` shows its history)" : "latest changes (`log deal \(id)` shows all)"
    for part in heading.wrapped(to: max(12, width - 2)) { out += "  " + part + "\n" }
    for change in changes {
      func shown(_ value: Value) -> String { value.isEmpty ? "(none)" : ValueFormatter.display(value) }
      let line = "#\(change.sequence) \(change.time) \(change.field): \(shown(change.before)) → \(shown(change.after))"
      for part in VisibleText.of(line).wrapped(to: max(12, width - 4)) { out += "    " + part + "\n" }
    }
    return out
  }
}

/// What `show` returns: the cards as text, and as a table (id, field, value) and JSON
/// for CSV and JSON output.
enum DealCards {
  static func result(_ cards: [DealCard], total: Int) -> ReportResult {
    let rows = cards.flatMap { card in
      DealCard.shownFields.map { [.integer(card.id), .text($0.rawValue), card.fields[$0] ?? .empty] }
    }
    let table = ResultTable(columns: ["id", "field", "value"], rows: rows)
    let json =
      "["
      + cards.map { card in
        JSONWriter.object(
          [("id", String(card.id))]
            + DealCard.shownFields.map { ($0.rawValue, JSONWriter.json(card.fields[$0] ?? .empty)) })
      }.joined(separator: ",") + "]\n"
    let more =
      total > cards.count
      ? "(\(Format.count(cards.count)) of \(Format.count(total)) deals; narrow the filter to see the others)\n" : ""
    return ReportResult(table: table, json: json) { width in
      cards.map { $0.text(width: width) }.joined(separator: "\n") + more
    }
  }
}
