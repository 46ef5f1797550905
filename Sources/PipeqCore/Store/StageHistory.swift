/// Every stage change, oldest first: deal, from, to, day. Funnels, sales cycles and `as
/// of` read it. A change is recorded when a statement (move, close, set, undo, redo)
/// changes a deal's stage; a deal that arrives (import, or undo of a delete) brings one
/// event, the stage it is in from the day it entered it; a deal deleted takes its events
/// with it. Events are derived from the journal's records as they apply, so replaying the
/// journal rebuilds them exactly.
public struct StageHistory: Sendable, Equatable {
  /// `from` of a deal's first known event: no earlier stage is known.
  public static let noStage = UInt16.max

  public internal(set) var ids: [Int64] = []
  public internal(set) var from: [UInt16] = []
  public internal(set) var to: [UInt16] = []
  public internal(set) var days: [Int32] = []

  public init() {}

  public var count: Int { ids.count }

  /// Room for a quarter more events than `count`, kept when the history is read: a bulk
  /// close appends tens of thousands at once, and growing four arrays of a million
  /// entries would copy them all on the spot.
  static func slack(_ count: Int) -> Int { count / 4 + 4_096 }

  mutating func append(id: Int64, from: UInt16, to: UInt16, day: Int32) {
    ids.append(id)
    self.from.append(from)
    self.to.append(to)
    days.append(day)
  }

  mutating func append(_ events: StageHistory) {
    ids += events.ids
    from += events.from
    to += events.to
    days += events.days
  }

  /// The events on or before `day`: the history as it stood then.
  func until(_ day: Day) -> StageHistory {
    let keep = days.indices.filter { days[$0] <= day.number }
    var past = StageHistory()
    past.ids = keep.map { ids[$0] }
    past.from = keep.map { from[$0] }
    past.to = keep.map { to[$0] }
    past.days = keep.map { days[$0] }
    return past
  }

  /// Drops the events of these deals.
  mutating func remove(ids gone: [Int64]) {
    guard !gone.isEmpty, !ids.isEmpty else { return }
    let doomed = Set(gone)
    let keep = ids.indices.filter { !doomed.contains(ids[$0]) }
    guard keep.count < ids.count else { return }
    ids = keep.map { ids[$0] }
    from = keep.map { from[$0] }
    to = keep.map { to[$0] }
    days = keep.map { days[$0] }
  }
}

extension DealTable {
  /// The event each deal brings when it arrives (ids ascending, already in this
  /// table): the stage it is in, from the day it entered it (for a closed deal the
  /// closing day; else created; else `today`).
  mutating func recordArrivals(of arrived: [Int64], today: Day) {
    guard !arrived.isEmpty else { return }
    history.ids.reserveCapacity(history.count + arrived.count)
    for row in rows(ofAscending: arrived) {
      history.append(id: ids[row], from: StageHistory.noStage, to: stage[row], day: arrivalDay(row: row, today: today))
    }
  }

  /// The day a deal arriving entered its stage: a closed deal's closing day, else its
  /// stage_entered, else created, else `today`.
  func arrivalDay(row: Int, today: Day) -> Int32 {
    var day = self.day(.stageEntered, at: row)!
    let closed = self.day(.closed, at: row)!
    if pipelines.status(of: stage[row]) != .open && closed != DealTable.emptyDay { day = closed }
    if day == DealTable.emptyDay { day = self.day(.created, at: row)! }
    return day == DealTable.emptyDay ? today.number : day
  }

  /// Events for the deals a change set moves: `before` holds each changed deal's stage
  /// id before the change, row by row.
  mutating func recordMoves(rows: [Int], before: [UInt16], today: Day, except stated: Set<Int64> = []) {
    for (position, row) in rows.enumerated() where stage[row] != before[position] {
      if !stated.isEmpty && stated.contains(ids[row]) { continue }
      history.append(id: ids[row], from: before[position], to: stage[row], day: today.number)
    }
  }
}

extension StageHistory {
  /// Each row's stage on `day`: the last event on or before it, `noStage` for a deal
  /// with none (it had not arrived yet).
  public func stages(asOf day: Day, in table: DealTable) -> [UInt16] {
    var stages = [UInt16](repeating: StageHistory.noStage, count: table.count)
    for index in ids.indices where days[index] <= day.number {
      guard let row = table.row(of: ids[index]) else { continue }
      stages[row] = to[index]
    }
    return stages
  }
}

extension DealTable {
  /// The deals as they stood on `day`: only those that had arrived, each in the stage
  /// the history gives for that day, with the history up to it; other fields as they are now.
  /// A deal created by then whose history starts later (an import knows only the stage
  /// it was in when exported) was open in a stage not known: `(earlier stage)`, first in
  /// its pipeline.
  public func asOf(_ day: Day) -> DealTable {
    var stages = history.stages(asOf: day, in: self)
    var catalog = pipelines
    var earlier: [UInt16: UInt16] = [:]
    let created = dateColumn(.created)
    for row in stages.indices where stages[row] == StageHistory.noStage {
      guard created[row] != DealTable.emptyDay, created[row] <= day.number else { continue }
      let pipeline = pipelines.stages[Int(stage[row])].pipeline
      if earlier[pipeline] == nil { earlier[pipeline] = DealTable.addEarlierStage(to: pipeline, in: &catalog) }
      stages[row] = earlier[pipeline]!
    }
    let rows = stages.indices.filter { stages[$0] != StageHistory.noStage }
    // The rows picked, the dictionaries shared as they are: a past table is read once and
    // dropped, so it is not worth re-coding every text column (`subset` does that for
    // tables that are kept, in half a second for a million distinct names).
    var past = self
    past.permute(rows)
    past.pipelines = catalog
    past.stage = rows.map { stages[$0] }
    past.history = history.until(day)
    return past
  }

  public static let earlierStage = "(earlier stage)"

  /// Adds the `(earlier stage)` of a pipeline, first in its order; returns its id.
  private static func addEarlierStage(to pipeline: UInt16, in catalog: inout Pipelines) -> UInt16 {
    let id = catalog.addStage(named: earlierStage, to: pipeline)
    let names = catalog.pipelines[Int(pipeline)].stages.map { catalog.stages[Int($0)].name }
    try? catalog.reorder(pipeline: pipeline, as: [earlierStage] + names.filter { $0 != earlierStage })
    return id
  }
}
