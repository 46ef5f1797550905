/// The resolved effect of one mutating statement: which deals change, from what, to
/// what. It is computed and checked in full before anything is written, so an action
/// is all or nothing, and it carries before-images so it can be taken back.
public struct Mutation: Sendable, Equatable {
  /// One field of one deal, as history and previews show it.
  public typealias Edit = RecordEdit<Field>

  public var statement: String
  /// The day `today` meant when the statement ran.
  public var today: Day
  /// Field changes, by column (`ChangeSet`).
  public var changes: [ChangeSet] = []
  /// New deals, as a table of their own (in id order).
  public var inserts = DealTable()
  /// Whole deals as they were before deletion.
  public var deletes = DealTable()
  /// The pipeline catalog after the change, when the change adds pipelines or stages.
  public var pipelines: Pipelines?
  /// The catalog before it, when the change shapes the pipelines (a stage renamed,
  /// moved, removed): what its undo puts back. Imports that only add stages keep them.
  public var pipelinesBefore: Pipelines?
  /// Saved queries defined, redefined or removed (nil: absent).
  public var definitionEdits: [DefinitionEdit] = []
  /// Stage events the change states itself, dated by the file it imports (HubSpot's
  /// `Date entered` columns, a changed deal's stage-entered day); the deals they name
  /// get these in place of the events applying derives.
  public var stageEvents = StageHistory()
  /// An import's file: its column names and stage labels.
  public var source: ImportSource?

  public struct DefinitionEdit: Sendable, Equatable {
    public var name: String
    public var before: String?
    public var after: String?
  }

  public init(statement: String, today: Day) {
    self.statement = statement
    self.today = today
  }

  public var isEmpty: Bool {
    changes.allSatisfy(\.isEmpty) && inserts.count == 0 && deletes.count == 0 && pipelines == nil
      && definitionEdits.isEmpty
  }

  /// Distinct deals touched.
  public var dealCount: Int { JournalRecord.dealIDs(of: [self]).count }

  /// The field edits, deal by deal, up to `limit` of them.
  public func edits(limit: Int = .max) -> [Edit] {
    var edits: [Edit] = []
    for set in changes {
      for index in set.ids.indices {
        for edit in set.edits(at: index) {
          if edits.count == limit { return edits }
          edits.append(edit)
        }
      }
    }
    return edits
  }

  /// The field edits of one deal.
  public func edits(of id: Int64) -> [Edit] {
    changes.flatMap { set in set.index(of: id).map(set.edits(at:)) ?? [] }
  }
}

extension DealTable {
  /// Applies a checked mutation. Precondition: every id exists and every stage is
  /// in its deal's pipeline (the planner verified both).
  public mutating func apply(_ mutation: Mutation) {
    if let catalog = mutation.pipelines { pipelines = catalog }
    for edit in mutation.definitionEdits { definitions[edit.name] = edit.after }
    remove(ids: mutation.deletes.ids)
    history.remove(ids: mutation.deletes.ids)
    let stated = Set(mutation.stageEvents.ids)
    for set in mutation.changes {
      guard set.fields.contains(where: { $0.field == .stage }) else {
        apply(set)
        continue
      }
      let rows = rows(ofAscending: set.ids)
      let before = rows.map { stage[$0] }
      apply(set, rows: rows)
      recordMoves(rows: rows, before: before, today: mutation.today, except: stated)
    }
    append(contentsOf: mutation.inserts)
    recordArrivals(
      of: stated.isEmpty ? mutation.inserts.ids : mutation.inserts.ids.filter { !stated.contains($0) },
      today: mutation.today)
    history.append(mutation.stageEvents)
  }
}
