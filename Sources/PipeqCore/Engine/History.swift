/// What the journal says about the past: which actions stand, which were undone, and
/// what `undo` and `redo` would do now.
public struct History {
  public struct Entry: Sendable {
    public var record: JournalRecord
    /// Set when a later undo took this action back (and no redo re-applied it).
    public var undoneBy: UInt64?
    /// The sequence of the record that last applied this action (itself or a redo).
    public var appliedAt: UInt64
  }

  public private(set) var entries: [Entry] = []
  private var index: [UInt64: Int] = [:]
  /// Groups of undone actions that `redo` can re-apply, most recent last.
  public private(set) var redoStack: [[UInt64]] = []

  public init(_ records: [JournalRecord]) {
    for record in records {
      index[record.sequence] = entries.count
      entries.append(Entry(record: record, undoneBy: nil, appliedAt: record.sequence))
      switch record.kind {
      case .action, .importFile:
        redoStack.removeAll()
      case .undo:
        for target in record.targets { if let i = index[target] { entries[i].undoneBy = record.sequence } }
        redoStack.append(record.targets)
      case .redo:
        for target in record.targets {
          if let i = index[target] {
            entries[i].undoneBy = nil
            entries[i].appliedAt = record.sequence
          }
        }
        if !redoStack.isEmpty { redoStack.removeLast() }
      }
    }
  }

  public func entry(_ sequence: UInt64) -> Entry? { index[sequence].map { entries[$0] } }

  /// Actions (not undo/redo records) that currently stand, most recently applied first.
  public var standing: [Entry] {
    entries.filter { ($0.record.kind == .action || $0.record.kind == .importFile) && $0.undoneBy == nil }
      .sorted { $0.appliedAt > $1.appliedAt }
  }
}
