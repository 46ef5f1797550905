/// What a writer knows of its active journal without reading it back: every record's
/// summary (for `history` and undo's bookkeeping) and the last few records whole (for
/// undo and redo of a recent change). Reading the journal file again for them made an
/// undo slower than the change it took back once the journal held a few bulk changes.
/// Readers keep none: a writer appends under them.
struct JournalCache {
  /// Enough for undo, redo and undo again of the last change.
  static let wholeRecords = 3

  /// The active journal's records without their effects, oldest first.
  private(set) var summaries: [JournalRecord]
  private var recent: [JournalRecord] = []

  init(summaries: [JournalRecord] = []) { self.summaries = summaries }

  /// A record just appended.
  mutating func add(_ record: JournalRecord) {
    summaries.append(record.summary)
    remember([record])
  }

  /// Records read whole from the files (redo reads the action it re-applies each time).
  mutating func remember(_ records: [JournalRecord]) {
    for record in records where !recent.contains(where: { $0.sequence == record.sequence }) {
      recent.append(record)
    }
    if recent.count > JournalCache.wholeRecords { recent.removeFirst(recent.count - JournalCache.wholeRecords) }
  }

  /// A fresh journal was started: the records before it are archived now (the whole
  /// ones stay known).
  mutating func startJournal() { summaries = [] }

  /// The wanted records whole, when every one of them is among the recent ones.
  func records(_ wanted: Set<UInt64>) -> [JournalRecord]? {
    let found = recent.filter { wanted.contains($0.sequence) }
    return found.count == wanted.count ? found : nil
  }
}

extension JournalRecord {
  /// The record without its effects, as a summary-only read gives it.
  var summary: JournalRecord {
    var summary = self
    summary.mutations = []
    return summary
  }
}
