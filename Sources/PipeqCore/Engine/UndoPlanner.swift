/// Works out what `undo` and `redo` change, from the journal's before-images, and
/// refuses when a later action touched the same deals (undoing then would silently
/// throw that later change away).
struct UndoPlanner {
  let table: DealTable
  /// Built from record summaries; full records are loaded only where needed.
  let history: History
  let load: (Set<UInt64>) throws(DiagnosticError) -> [UInt64: JournalRecord]

  struct Plan {
    var mutations: [Mutation]
    var targets: [UInt64]
    var wording: ActionReport.Wording
    var changedDeals: Int
  }

  func undo(_ target: UndoTarget, statement: String, today: Day, source: SourceText) throws(DiagnosticError) -> Plan {
    let standing = history.standing
    var chosen: [History.Entry]
    switch target {
    case .last(let count):
      guard !standing.isEmpty else { throw DiagnosticError(.error("there is nothing to undo")) }
      guard count <= standing.count else {
        throw DiagnosticError(
          .error(
            "only \(standing.count) \(standing.count == 1 ? "action stands" : "actions stand"); nothing was undone"))
      }
      chosen = Array(standing.prefix(count))
    case .sequence(let sequence, let span):
      guard let entry = history.entry(sequence) else {
        throw DiagnosticError(
          .error("there is no action #\(sequence)", at: span, in: source, help: "`history` lists them"))
      }
      guard entry.record.kind == .action || entry.record.kind == .importFile else {
        throw DiagnosticError(
          .error("#\(sequence) is itself an undo or redo; undo the action it names, or use redo", at: span, in: source))
      }
      if let by = entry.undoneBy {
        throw DiagnosticError(.error("#\(sequence) was already undone by #\(by)", at: span, in: source))
      }
      let later = standing.filter { $0.appliedAt > entry.appliedAt }
      let full = try load(Set(later.map(\.record.sequence) + [sequence]))
      let ids = full[sequence]?.dealIDs ?? []
      for other in later.reversed() {
        if let shared = full[other.record.sequence]?.dealIDs.intersection(ids).min() {
          throw DiagnosticError(
            .error(
              "cannot undo #\(sequence) alone: deal \(shared) was changed later by #\(other.record.sequence) (\(other.record.statement)); nothing was undone",
              at: span, in: source,
              help: "undo #\(other.record.sequence) first, or `undo \(later.count + 1)` to take back everything since"))
        }
      }
      chosen = [entry]
    }
    var mutations: [Mutation] = []
    let full = try load(Set(chosen.map(\.record.sequence)))
    for entry in chosen {
      guard let record = full[entry.record.sequence] else { continue }
      for mutation in record.mutations.reversed() {
        mutations.append(UndoPlanner.inverse(of: mutation, statement: statement, today: today))
      }
    }
    let changed = JournalRecord.dealCount(of: mutations)
    try checkCurrent(mutations.first, source: source)
    let names = chosen.map { "#\($0.record.sequence)" }
    let what =
      chosen.count == 1
      ? "\(names[0]) (\(chosen[0].record.statement))" : "\(chosen.count) actions (\(names.joined(separator: ", ")))"
    let one = changed == 1
    let deals = "\(Format.count(changed)) \(one ? "deal" : "deals")"
    // A change of pipelines or saved queries alone touches no deal.
    let wording =
      changed == 0
      ? ActionReport.Wording(preview: "would undo \(what)", done: "undid \(what)")
      : ActionReport.Wording(
        preview: "would undo \(what): \(deals) \(one ? "would be back as it was" : "would be back as they were")",
        done: "undid \(what): \(deals) \(one ? "is back as it was" : "are back as they were")")
    return Plan(mutations: mutations, targets: chosen.map(\.record.sequence), wording: wording, changedDeals: changed)
  }

  func redo(statement: String, today: Day) throws(DiagnosticError) -> Plan {
    guard let group = history.redoStack.last else {
      throw DiagnosticError(.error("there is nothing to redo: redo follows an undo, before any other change"))
    }
    var mutations: [Mutation] = []
    let full = try load(Set(group))
    for sequence in group.sorted() {
      guard let record = full[sequence] else { continue }
      for mutation in record.mutations {
        var again = mutation
        again.statement = statement
        mutations.append(again)
      }
    }
    let changed = JournalRecord.dealCount(of: mutations)
    let names = group.sorted().map { "#\($0)" }.joined(separator: ", ")
    let what = "\(names): \(Format.count(changed)) \(changed == 1 ? "deal" : "deals") changed again"
    return Plan(
      mutations: mutations, targets: group, wording: .init(preview: "would redo \(what)", done: "redid \(what)"),
      changedDeals: changed)
  }

  /// The deals must hold exactly what the action left, or undo would restore over a
  /// change it does not know about.
  private func checkCurrent(_ mutation: Mutation?, source: SourceText) throws(DiagnosticError) {
    guard let mutation else { return }
    for set in mutation.changes {
      var rows: [Int] = []
      rows.reserveCapacity(set.ids.count)
      for id in set.ids {
        guard let row = table.row(of: id) else {
          throw DiagnosticError(.error("deal \(id) no longer exists; nothing was undone"))
        }
        rows.append(row)
      }
      for change in set.fields {
        // Read column by column, compared code to code.
        let now = ValueColumn(capturing: change.field, rows: rows, from: table)
        for index in rows.indices {
          let current = now.values[Int(now.code(at: index))]
          let expected = change.before.values[Int(change.before.code(at: index))]
          if current != expected && !(current.isEmpty && expected.isEmpty) {
            throw DiagnosticError(
              .error("deal \(set.ids[index])'s \(change.field.rawValue) changed since; nothing was undone"))
          }
        }
      }
    }
  }

  /// The change that takes `mutation` back: edits reversed, inserts deleted, deletes
  /// re-inserted. Pipelines and stages it created are kept.
  static func inverse(of mutation: Mutation, statement: String, today: Day) -> Mutation {
    var inverse = Mutation(statement: statement, today: today)
    inverse.changes = mutation.changes.reversed().map(\.inverse)
    inverse.deletes = mutation.inserts
    inverse.inserts = mutation.deletes
    if let before = mutation.pipelinesBefore {
      inverse.pipelines = before
      inverse.pipelinesBefore = mutation.pipelines
    }
    inverse.definitionEdits = mutation.definitionEdits.reversed().map {
      .init(name: $0.name, before: $0.after, after: $0.before)
    }
    return inverse
  }
}
