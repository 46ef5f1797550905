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
    /// Deals whose stage the file changes.
    var moves: [Move] = []
  }

  /// A deal the file moves: its row in the file, its id and stage in the store.
  struct Move {
    var row: Int
    var id: Int64
    var before: UInt16
  }

  /// `deals` (the file's, ids ascending) against `table`; `fields` are the fields the
  /// file's columns fill. A deal matches by id, or by external id when the file has them.
  /// A deal the file moves entered its new stage on `movedOn(row)` (nil: `today`) when
  /// the file has no stage-entered column.
  static func split(
    _ deals: DealTable, into table: DealTable, fields: Set<Field>, today: Day, fileName: String,
    movedOn: (Int) -> Day? = { _ in nil }
  ) throws(DiagnosticError) -> Split {
    var byExternalID: [String: Int64] = [:]
    if fields.contains(.externalID) {
      let column = table.textColumn(.externalID)
      for row in 0..<table.count where column.codes[row] != 0 {
        byExternalID[column.dictionary.strings[Int(column.codes[row])]] = table.ids[row]
      }
    }
    // The file's row and the store's row of each deal the store has.
    var matches: [(file: Int, store: Int)] = []
    var fresh: [Int] = []
    var byExternal = false
    for row in 0..<deals.count {
      if let current = table.row(of: deals.ids[row]) {
        matches.append((row, current))
      } else if let external = deals.text(.externalID, at: row), let id = byExternalID[external] {
        matches.append((row, table.row(of: id)!))
        byExternal = true
      } else {
        fresh.append(row)
      }
    }
    guard !matches.isEmpty else { return Split(inserts: deals) }
    var split = Split(inserts: deals.subset(fresh))
    var compared = Field.stored.filter { fields.contains($0) && $0 != .id && $0 != .pipeline }
    let same = SameFields(compared, file: deals, store: table)
    let entryDay = compared.contains(.stage) && !compared.contains(.stageEntered)
    if entryDay { compared.append(.stageEntered) }
    var changes = ChangeSet(fields: compared)
    for (row, current) in byExternal ? latestRows(matches) : matches {
      let id = table.ids[current]
      // Pipeline ids agree: the file's catalog is the store's with new ones after it.
      guard
        deals.pipelines.stages[Int(deals.stage[row])].pipeline
          == table.pipelines.stages[Int(table.stage[current])].pipeline
      else {
        throw DiagnosticError(
          Diagnostic(
            .error,
            "deal \(id) is in pipeline \(ValueFormatter.plain(table.value(.pipeline, at: current, today: today))) in the store but \(ValueFormatter.plain(deals.value(.pipeline, at: row, today: today))) in the file",
            location: fileName, help: "moving a deal to another pipeline by import is not possible yet"))
      }
      // Most deals of next week's export did not change: compared column by column
      // first, without building a value.
      if same.rows(row, current) {
        split.unchanged += 1
        continue
      }
      let before = compared.map { table.value($0, at: current, today: today) }
      var after = compared.map { deals.value($0, at: row, today: today) }
      let moved = deals.stage[row] != table.stage[current]
      if moved { split.moves.append(Move(row: row, id: id, before: table.stage[current])) }
      if entryDay { after[after.count - 1] = moved ? .date(movedOn(row) ?? today) : before[before.count - 1] }
      if zip(before, after).allSatisfy({ $0 == $1 || ($0.isEmpty && $1.isEmpty) }) {
        split.unchanged += 1
      } else {
        changes.append(id: id, before: before, after: after)
        split.updated += 1
      }
    }
    split.changes = changes.isEmpty ? nil : changes
    var inFile = [Bool](repeating: false, count: table.count)
    for match in matches { inFile[match.store] = true }
    split.missing = table.ids.indices.filter { !inFile[$0] }.map { table.ids[$0] }
    return split
  }

  /// One match per store deal, in store order: two rows naming one deal (by id and by
  /// external id) leave the later, newer one. Matches by id alone already ascend (the
  /// file's ids are distinct and sorted).
  private static func latestRows(_ matches: [(file: Int, store: Int)]) -> [(file: Int, store: Int)] {
    var latest: [Int: Int] = [:]
    for match in matches { latest[match.store] = max(latest[match.store] ?? -1, match.file) }
    return latest.sorted { $0.key < $1.key }.map { ($0.value, $0.key) }
  }
}

/// Whether a file's deal and a store's deal hold the same values in the compared fields,
/// read from their columns: text by a map from the file's dictionary codes to the
/// store's, money and dates as stored, stages by id (an import into a store with deals
/// keeps every stage id), tags by name. False sends the caller to compare the values.
struct SameFields {
  private let file: DealTable
  private let store: DealTable
  private var texts: [(file: [UInt32], store: [UInt32], map: [UInt32])] = []
  private var dates: [(file: [Int32], store: [Int32])] = []
  private let value: Bool
  private let stage: Bool
  /// Each of the file's tag sets as the store's tag-set code (`.max`: the store has none
  /// like it); nil when the file has no tags column.
  private let tagSets: [UInt32]?

  init(_ fields: [Field], file: DealTable, store: DealTable) {
    self.file = file
    self.store = store
    for field in fields where DealTable.textPath(field) != nil {
      let theirs = file.textColumn(field)
      let ours = store.textColumn(field)
      let map = theirs.dictionary.strings.map { ours.dictionary.code(of: $0) ?? .max }
      texts.append((theirs.codes, ours.codes, map))
    }
    for field in fields where DealTable.datePath(field) != nil {
      dates.append((file.dateColumn(field), store.dateColumn(field)))
    }
    value = fields.contains(.value)
    stage = fields.contains(.stage)
    tagSets = fields.contains(.tags) ? SameFields.tagSetMap(file.tags, store.tags) : nil
  }

  private static func tagSetMap(_ file: TagColumn, _ store: TagColumn) -> [UInt32] {
    var known: [[String]: UInt32] = [:]
    for (code, set) in store.sets.enumerated() { known[set.map { store.names[$0] }] = UInt32(code) }
    return file.sets.map { set in known[set.map { file.names[$0] }] ?? .max }
  }

  func rows(_ row: Int, _ current: Int) -> Bool {
    if value && file.value[row] != store.value[current] { return false }
    if stage && file.stage[row] != store.stage[current] { return false }
    for column in dates where column.file[row] != column.store[current] { return false }
    for column in texts where column.map[Int(column.file[row])] != column.store[current] { return false }
    guard let tagSets else { return true }
    return tagSets[Int(file.tags.codes[row])] == store.tags.codes[current]
  }
}
