/// Next week's export: a deal already in the store (the same id) is updated — the
/// fields the file has that differ are set, a deal whose fields all match is left as
/// it is — and deals new to the store are added. Deals in the store that the file does
/// not have are left alone and counted.
enum ImportUpdate {
  struct Split {
    var inserts: DealTable
    var changes: ChangeSet?
    var updated = 0
    var unchanged = 0
    /// Ids of the store's deals the file does not have.
    var missing: [Int64] = []
  }

  /// `deals` (the file's, ids ascending) against `table`; `fields` are the fields the
  /// file's columns fill. A deal matches by id, or by external id when the file has them.
  static func split(_ deals: DealTable, into table: DealTable, fields: Set<Field>, today: Day, fileName: String)
    throws(DiagnosticError) -> Split
  {
    var byExternalID: [String: Int64] = [:]
    if fields.contains(.externalID) {
      for row in 0..<table.count {
        if let external = table.text(.externalID, at: row), !external.isEmpty {
          byExternalID[external] = table.ids[row]
        }
      }
    }
    var matches: [(file: Int, store: Int64)] = []
    var fresh: [Int] = []
    for row in 0..<deals.count {
      if table.row(of: deals.ids[row]) != nil {
        matches.append((row, deals.ids[row]))
      } else if let external = deals.text(.externalID, at: row), let id = byExternalID[external] {
        matches.append((row, id))
      } else {
        fresh.append(row)
      }
    }
    guard !matches.isEmpty else { return Split(inserts: deals) }
    var split = Split(inserts: deals.subset(fresh))
    let compared = Field.stored.filter { fields.contains($0) && $0 != .id && $0 != .pipeline }
    var changes = ChangeSet(fields: compared)
    // Two rows naming one deal (by id and by external id): the later row is the newer.
    var latest: [Int64: Int] = [:]
    for match in matches { latest[match.store] = max(latest[match.store] ?? -1, match.file) }
    for (id, row) in latest.sorted(by: { $0.key < $1.key }) {
      let current = table.row(of: id)!
      let pipeline = table.value(.pipeline, at: current, today: today)
      guard deals.value(.pipeline, at: row, today: today) == pipeline else {
        throw DiagnosticError(
          Diagnostic(
            .error,
            "deal \(id) is in pipeline \(ValueFormatter.plain(pipeline)) in the store but \(ValueFormatter.plain(deals.value(.pipeline, at: row, today: today))) in the file",
            location: fileName, help: "moving a deal to another pipeline by import is not possible yet"))
      }
      let before = compared.map { table.value($0, at: current, today: today) }
      let after = compared.map { deals.value($0, at: row, today: today) }
      if zip(before, after).allSatisfy({ $0 == $1 || ($0.isEmpty && $1.isEmpty) }) {
        split.unchanged += 1
      } else {
        changes.append(id: id, before: before, after: after)
        split.updated += 1
      }
    }
    split.changes = changes.isEmpty ? nil : changes
    let inFile = Set(matches.map(\.store))
    split.missing = table.ids.filter { !inFile.contains($0) }
    return split
  }
}
