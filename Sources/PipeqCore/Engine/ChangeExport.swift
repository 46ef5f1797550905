/// `.export changes since #SEQ|DATE`: the deals pipeq's own statements changed since
/// then, each with the ids the CRM knows it by and only the fields that differ from
/// what they were then, under the column names (and stage names) of the file the deals
/// came from, so the CRM's import takes the flush back. Imports are not changes made
/// here: they are what the CRM already has.
struct ChangeExport {
  enum Since: Equatable, Sendable {
    /// Records after this sequence.
    case sequence(UInt64)
    /// Records acknowledged on or after this local day.
    case day(Day)
  }

  struct Result {
    var table: ResultTable
    var fieldCount: Int
    /// Deals deleted since: a CRM import cannot delete them.
    var deleted: Int
    var notes: [String]
  }

  let records: [JournalRecord]
  let table: DealTable
  let today: Day

  func result(since: Since) -> Result {
    let changes = changedFields(since: since)
    let exported = changes.current.keys.sorted()
    let source = chosenSource(for: exported)
    let columns = Columns(source: source?.source, changed: changes.fieldsChanged)
    var rows: [[Value]] = []
    var fieldCount = 0
    for id in exported {
      let cells = columns.row(id: id, row: table.row(of: id)!, fields: changes.current[id]!, table: table, today: today)
      guard cells.written > 0 else { continue }
      fieldCount += cells.written
      rows.append(cells.values)
    }
    var notes: [String] = []
    if let source, source.others > 0 {
      notes.append(
        "\(Format.count(source.others)) of the deals came from other files; the columns are named as in \(source.statement)"
      )
    }
    if !columns.unwritten.isEmpty {
      let names = columns.unwritten.map(\.rawValue).joined(separator: ", ")
      notes.append(
        "changes to \(names) are not in the file: \(source?.statement ?? "the import") had no column for them")
    }
    if changes.deleted > 0 {
      notes.append("\(Format.count(changes.deleted)) deals deleted since are not in the file: an import cannot delete")
    }
    return Result(
      table: ResultTable(columns: columns.headers, rows: rows), fieldCount: fieldCount, deleted: changes.deleted,
      notes: notes)
  }

  /// Whether a record is after the cut.
  private func isAfter(_ record: JournalRecord, _ since: Since) -> Bool {
    switch since {
    case .sequence(let sequence): return record.sequence > sequence
    case .day(let day): return String(Engine.localTime(record.time).prefix(10)) >= day.description
    }
  }

  /// Per deal standing now, the fields whose value differs from the value at the cut
  /// (a deal added since: every field it has); and how many deals were deleted since.
  private func changedFields(since: Since) -> (current: [Int64: [Field]], fieldsChanged: Set<Field>, deleted: Int) {
    let imports = Set(records.filter { $0.kind == .importFile }.map(\.sequence))
    var atCut: [Int64: [Field: Value]] = [:]
    var added = Set<Int64>()
    var removed = Set<Int64>()
    for record in records where isAfter(record, since) && record.kind != .importFile {
      // An undo or redo of imports only is the imports' business too. (Its mutations do
      // not line up one per target — a target can hold several — so a record that also
      // takes back actions counts whole.)
      guard record.targets.isEmpty || !record.targets.allSatisfy(imports.contains) else { continue }
      for mutation in record.mutations {
        for edit in mutation.edits() where atCut[edit.id]?[edit.field] == nil && !added.contains(edit.id) {
          atCut[edit.id, default: [:]][edit.field] = edit.before
        }
        for row in 0..<mutation.deletes.count {
          let id = mutation.deletes.ids[row]
          removed.insert(id)
          guard !added.contains(id) else { continue }
          for field in Field.stored where atCut[id]?[field] == nil {
            atCut[id, default: [:]][field] = mutation.deletes.value(field, at: row, today: mutation.today)
          }
        }
        for id in mutation.inserts.ids where atCut[id] == nil { added.insert(id) }
      }
    }
    var current: [Int64: [Field]] = [:]
    var fieldsChanged = Set<Field>()
    for id in added.union(atCut.keys) {
      guard let row = table.row(of: id) else { continue }
      let before = atCut[id] ?? [:]
      let fields = Field.stored.filter { field in
        guard field != .id else { return false }
        let now = table.value(field, at: row, today: today)
        if added.contains(id) { return !now.isEmpty }
        guard let then = before[field] else { return false }
        return now != then && !(now.isEmpty && then.isEmpty)
      }
      guard !fields.isEmpty else { continue }
      current[id] = fields
      fieldsChanged.formUnion(fields)
    }
    let deleted = removed.filter { table.row(of: $0) == nil && !added.contains($0) }.count
    return (current, fieldsChanged, deleted)
  }

  /// The import most of the exported deals last came through, and how many came
  /// through others (or none).
  private func chosenSource(for ids: [Int64]) -> (source: ImportSource, statement: String, others: Int)? {
    guard !ids.isEmpty else { return nil }
    let wanted = Set(ids)
    var lastImport: [Int64: Int] = [:]
    for (index, record) in records.enumerated() where record.kind == .importFile {
      guard record.mutations.contains(where: { $0.source != nil }) else { continue }
      for mutation in record.mutations {
        for id in mutation.inserts.ids where wanted.contains(id) { lastImport[id] = index }
        for set in mutation.changes { for id in set.ids where wanted.contains(id) { lastImport[id] = index } }
      }
    }
    var counts: [Int: Int] = [:]
    for index in lastImport.values { counts[index, default: 0] += 1 }
    guard let best = counts.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return nil }
    let record = records[best.key]
    guard let source = record.mutations.lazy.compactMap(\.source).first else { return nil }
    return (source, record.statement, ids.count - best.value)
  }

  /// The file's columns: the ids the CRM matches on, then one per changed field, named
  /// as the source file named them (the template's name otherwise). Fields that shared
  /// one column in the file (a close date that filled `closed`) share it again.
  struct Columns {
    var headers: [String] = []
    /// Changed fields the source file had no column for: not written.
    var unwritten: [Field] = []
    private var keys: [Field] = []
    private var fields: [[Field]] = []
    private let source: ImportSource?

    init(source: ImportSource?, changed: Set<Field>) {
      self.source = source
      let identity: [Field] = [.id, .externalID].filter { source?.header(of: $0) != nil }
      keys = identity.isEmpty ? [.id] : identity
      headers = keys.map { source?.header(of: $0) ?? $0.rawValue }
      let order = (source?.columns.map(\.field) ?? []) + Field.stored
      // `closed` before the close date it shares a column with: a deal that closed
      // writes its closing day there.
      for field in order.sortedClosingFirst() where changed.contains(field) && !keys.contains(field) {
        guard let header = source == nil ? field.rawValue : source!.header(of: field) else {
          unwritten.append(field)
          continue
        }
        if let index = headers.firstIndex(of: header) {
          if index >= keys.count && !fields[index - keys.count].contains(field) {
            fields[index - keys.count].append(field)
          }
          continue
        }
        headers.append(header)
        fields.append([field])
      }
      // A CRM dates a stage change itself: the day pipeq moved a deal goes with its stage.
      if headers.contains(source?.header(of: .stage) ?? "") { unwritten.removeAll { $0 == .stageEntered } }
    }

    /// The file's name for a stage; for won or lost without one, the other outcome's
    /// name turned round (`Closed Won` gives `Closed Lost`), so a file whose deals were
    /// all won still takes back a flush's losses.
    static func label(ofStage stage: String, in pipeline: String, _ source: ImportSource) -> String? {
      if let own = source.label(ofStage: stage, in: pipeline) { return own }
      let other = ["won": "lost", "lost": "won"][stage.folded]
      return other.flatMap { source.label(ofStage: $0, in: pipeline) }.flatMap(StageWords.opposite)
    }

    /// A deal's cells, and how many of them hold a change.
    func row(id: Int64, row: Int, fields changed: [Field], table: DealTable, today: Day) -> (
      values: [Value], written: Int
    ) {
      var cells = keys.map { table.value($0, at: row, today: today) }
      var written = 0
      for group in fields {
        guard let field = group.first(where: changed.contains) else {
          cells.append(.empty)
          continue
        }
        written += 1
        var value = table.value(field, at: row, today: today)
        if field == .stage, let source {
          let pipeline = ValueFormatter.plain(table.value(.pipeline, at: row, today: today))
          if let label = Self.label(ofStage: value.text, in: pipeline, source) { value = .text(label) }
        }
        cells.append(value)
      }
      return (cells, written)
    }
  }
}

extension Array where Element == Field {
  /// Each field once, in order, with `closed` moved before `expected_close`.
  fileprivate func sortedClosingFirst() -> [Field] {
    var seen = Set<Field>()
    var fields = filter { seen.insert($0).inserted }
    if let close = fields.firstIndex(of: .expectedClose), let closed = fields.firstIndex(of: .closed), closed > close {
      fields.remove(at: closed)
      fields.insert(.closed, at: close)
    }
    return fields
  }
}
