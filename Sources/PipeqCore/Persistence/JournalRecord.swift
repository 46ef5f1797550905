/// One acknowledged mutating statement, as the journal stores it: the resolved effects
/// (deal ids with before- and after-values), never just the text, so replaying it
/// tomorrow changes exactly what it changed today.
public struct JournalRecord: Sendable, Equatable {
  public enum Kind: UInt8, Sendable {
    case action = 0, importFile, undo, redo
  }

  public var sequence: UInt64
  /// Seconds since 1970, when it was acknowledged.
  public var time: Int64
  public var user: String
  public var kind: Kind
  /// For undo and redo: the sequence numbers of the actions taken back or re-applied.
  public var targets: [UInt64]
  /// The statement as typed.
  public var statement: String
  /// How many distinct deals it changed.
  public var dealCount: Int
  /// Applied in order. One for an action; one per target for undo / redo. Empty when
  /// only the summary was read (history listings skip decoding the effects).
  public var mutations: [Mutation]

  public init(
    sequence: UInt64, time: Int64, user: String, kind: Kind, targets: [UInt64] = [], mutations: [Mutation]
  ) {
    self.init(
      sequence: sequence, time: time, user: user, kind: kind, targets: targets,
      statement: mutations.first?.statement ?? "", dealCount: JournalRecord.dealCount(of: mutations))
    self.mutations = mutations
  }

  init(
    sequence: UInt64, time: Int64, user: String, kind: Kind, targets: [UInt64], statement: String, dealCount: Int
  ) {
    self.sequence = sequence
    self.time = time
    self.user = user
    self.kind = kind
    self.targets = targets
    self.statement = statement
    self.dealCount = dealCount
    self.mutations = []
  }

  /// Distinct deals this record changed.
  public var dealIDs: Set<Int64> { JournalRecord.dealIDs(of: mutations) }

  /// The ids of one change set, or of one table of inserted or deleted deals, are
  /// already distinct: no set is built for a bulk action or an import.
  static func dealCount(of mutations: [Mutation]) -> Int {
    if mutations.count == 1 {
      let mutation = mutations[0]
      let parts =
        mutation.changes.filter { !$0.isEmpty }.map(\.ids.count)
        + [mutation.inserts.count, mutation.deletes.count].filter { $0 > 0 }
      if parts.count <= 1 { return parts.first ?? 0 }
    }
    return dealIDs(of: mutations).count
  }

  static func dealIDs(of mutations: [Mutation]) -> Set<Int64> {
    var ids = Set<Int64>()
    for mutation in mutations {
      for set in mutation.changes { ids.formUnion(set.ids) }
      ids.formUnion(mutation.inserts.ids)
      ids.formUnion(mutation.deletes.ids)
    }
    return ids
  }
}
