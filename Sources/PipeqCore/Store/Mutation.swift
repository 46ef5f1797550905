/// The resolved effect of one mutating statement: which deals change, from what, to
/// what. It is computed and checked in full before anything is written, so an action
/// is all or nothing, and it carries before-images so it can be taken back.
public struct Mutation: Sendable, Equatable {
  public struct Edit: Sendable, Equatable {
    public var id: Int64
    public var field: Field
    public var before: Value
    public var after: Value

    public init(id: Int64, field: Field, before: Value, after: Value) {
      self.id = id
      self.field = field
      self.before = before
      self.after = after
    }
  }

  public var statement: String
  /// The day `today` meant when the statement ran.
  public var today: Day
  public var edits: [Edit] = []
  public var inserts: [Deal] = []
  /// Whole deals as they were before deletion.
  public var deletes: [Deal] = []
  /// The pipeline catalog after the change, when the change adds pipelines or stages.
  public var pipelines: Pipelines?
  /// Saved queries defined, redefined or removed (nil: absent).
  public var definitionEdits: [DefinitionEdit] = []

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
    edits.isEmpty && inserts.isEmpty && deletes.isEmpty && pipelines == nil && definitionEdits.isEmpty
  }

  /// Distinct deals touched.
  public var dealCount: Int { JournalRecord.dealIDs(of: [self]).count }
}

extension DealTable {
  /// Applies a checked mutation. Precondition: every id exists and every stage is
  /// in its deal's pipeline (the planner verified both).
  public mutating func apply(_ mutation: Mutation) {
    if let catalog = mutation.pipelines { pipelines = catalog }
    for edit in mutation.definitionEdits { definitions[edit.name] = edit.after }
    if !mutation.deletes.isEmpty {
      let gone = Set(mutation.deletes.compactMap(\.id))
      let current = ids
      retainRows { !gone.contains(current[$0]) }
    }
    var lastRow: (id: Int64, row: Int)?
    // Stage names resolve per pipeline once per mutation, not once per deal.
    var stageIDs: [String: UInt16] = [:]
    for edit in mutation.edits {
      let row: Int
      if let last = lastRow, last.id == edit.id {
        row = last.row
      } else {
        row = self.row(of: edit.id)!
        lastRow = (edit.id, row)
      }
      if edit.field == .stage {
        let pipeline = pipelines.stages[Int(stage[row])].pipeline
        let key = "\(pipeline)\u{1F}\(edit.after.text)"
        if let id = stageIDs[key] {
          stage[row] = id
        } else {
          let id = pipelines.stage(named: edit.after.text, in: pipeline)!
          stageIDs[key] = id
          stage[row] = id
        }
      } else {
        set(edit.field, to: edit.after, at: row)
      }
    }
    if !mutation.inserts.isEmpty {
      append(mutation.inserts)
      sortByID()
    }
  }
}
