/// The stage history a file states: a new deal's `Date entered` days become its
/// events from its first stage on, and a deal that next week's export moves enters its
/// new stage on the day the file gives (its `Date entered` day for that stage, its
/// stage-entered column, its modified day), not on the day of the import. Days are
/// never after `today` nor before the deal's last known event, so history stays in order.
struct ImportedEvents {
  let facts: FileFacts
  /// The file's deals and the store before the import.
  let deals: DealTable
  let store: DealTable
  let today: Day

  /// The day a deal the file moves entered its new stage; nil when the file does not say.
  func movedOn(_ row: Int) -> Day? {
    let key = self.key(deals, row)
    let stage = deals.stage[row]
    if let day = entered(key, row: row, in: deals).last(where: { $0.stage == stage })?.day { return day }
    if let entered = deals.day(.stageEntered, at: row), entered != DealTable.emptyDay {
      return min(Day(number: entered), today)
    }
    return key.flatMap { facts.modified[$0] }.map { min($0, today) }
  }

  /// Events for the new deals (`inserts`, as they will be stored) and the moved ones.
  func events(inserts: DealTable, moves: [ImportUpdate.Move]) -> StageHistory {
    var events = StageHistory()
    if !facts.entered.isEmpty {
      for row in 0..<inserts.count {
        let days = entered(key(inserts, row), row: row, in: inserts)
        guard !days.isEmpty else { continue }
        chain(&events, id: inserts.ids[row], from: StageHistory.noStage, days, to: inserts.stage[row], in: inserts) {
          inserts.arrivalDay(row: row, today: today)
        }
      }
    }
    // A move the file does not date is left to the event applying derives.
    let dated = moves.compactMap { move in movedOn(move.row).map { (move, $0) } }
    let lastDays = lastEventDays(dated.map(\.0.id))
    for (move, day) in dated {
      let after = lastDays[move.id] ?? Int32.min
      let days = entered(key(deals, move.row), row: move.row, in: deals).filter { $0.day.number > after }
      chain(&events, id: move.id, from: move.before, days, to: deals.stage[move.row], in: deals, floor: after) {
        day.number
      }
    }
    return events
  }

  private typealias StageDay = (stage: UInt16, day: Day)

  private func key(_ table: DealTable, _ row: Int) -> FileFacts.Key? {
    FileFacts.key(id: table.ids[row], externalID: table.text(.externalID, at: row))
  }

  /// The file's `Date entered` days of a deal, for stages of its own pipeline, by day.
  private func entered(_ key: FileFacts.Key?, row: Int, in table: DealTable) -> [StageDay] {
    guard let key, let days = facts.entered[key] else { return [] }
    let catalog = table.pipelines
    let pipeline = catalog.stages[Int(table.stage[row])].pipeline
    let name = catalog.pipelines[Int(pipeline)].name.folded
    let found = days.compactMap { entry -> StageDay? in
      guard entry.pipeline.map({ $0.folded == name }) ?? true,
        let stage = catalog.stage(named: CSVImporter.canonicalStage(entry.stage), in: pipeline)
      else { return nil }
      return (stage, min(entry.day, today))
    }
    return found.sorted { $0.day < $1.day }
  }

  /// Appends `from → days… → to`, the last on `lastDay()` (never before the days
  /// before it), skipping steps that stay in one stage.
  private func chain(
    _ events: inout StageHistory, id: Int64, from: UInt16, _ days: [StageDay], to: UInt16, in table: DealTable,
    floor: Int32 = Int32.min, lastDay: () -> Int32
  ) {
    var current = from
    var latest = floor
    for step in days where step.stage != current && step.stage != to {
      latest = max(latest, step.day.number)
      events.append(id: id, from: current, to: step.stage, day: latest)
      current = step.stage
    }
    guard current != to else { return }
    let arrival = days.last(where: { $0.stage == to })?.day.number ?? lastDay()
    events.append(id: id, from: current, to: to, day: max(latest, min(arrival, today.number)))
  }

  /// Each deal's last event day in the store, for the deals named.
  private func lastEventDays(_ ids: [Int64]) -> [Int64: Int32] {
    guard !ids.isEmpty else { return [:] }
    let wanted = Set(ids)
    var last: [Int64: Int32] = [:]
    let history = store.history
    for index in 0..<history.count where wanted.contains(history.ids[index]) {
      last[history.ids[index]] = max(last[history.ids[index]] ?? Int32.min, history.days[index])
    }
    return last
  }
}
