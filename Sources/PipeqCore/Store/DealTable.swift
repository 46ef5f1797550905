/// The deals, stored by column: text as dictionary codes, money as cents, dates as
/// day numbers, the stage as a 16-bit id. Rows are kept sorted by id, so a scan in
/// row order is already in id order.
public struct DealTable: Sendable, Equatable {
  public static let emptyDay = Int32.min
  public static let emptyMoney = Int64.min

  public var pipelines = Pipelines.standard
  public var ids: [Int64] = []
  /// The text columns, one per field of `Field.storedText`, at its `textSlot`.
  public internal(set) var texts = [TextColumn](repeating: TextColumn(), count: Field.storedText.count)
  public var tags = TagColumn()
  public var stage: [UInt16] = []
  public var value: [Int64] = []
  /// The date columns (day numbers), one per field of `Field.storedDates`, at its `dateSlot`.
  public internal(set) var dates = [[Int32]](repeating: [], count: Field.storedDates.count)
  /// Saved queries (lowercased name → the text after `define NAME as`) and report
  /// settings, each read into its type when set.
  public var definitions = Definitions()
  /// The report settings.
  public var settings: Settings { definitions.settings }
  /// Stage changes, oldest first (empty in a table that only carries deals for a change).
  public var history = StageHistory()

  public init() {}

  public var count: Int { ids.count }

  /// Saved filters and statements, by lowercased name.
  public var savedQueries: [String: SavedQuery] { definitions.queries }

  public var nextID: Int64 { (ids.last ?? 0) + 1 }

  /// The row of a deal id (binary search over the sorted ids).
  public func row(of id: Int64) -> Int? {
    // Ids from an export or from pipeq are usually 1, 2, 3, …: try the row they would be in.
    if id > 0, id <= Int64(ids.count), ids[Int(id) - 1] == id { return Int(id) - 1 }
    let low = firstRow(atOrAfter: id)
    return low < ids.count && ids[low] == id ? low : nil
  }

  /// The first row whose id is `id` or more.
  func firstRow(atOrAfter id: Int64) -> Int {
    var low = 0
    var high = ids.count
    while low < high {
      let mid = (low + high) / 2
      if ids[mid] < id { low = mid + 1 } else { high = mid }
    }
    return low
  }

  static func textPath(_ field: Field) -> WritableKeyPath<DealTable, TextColumn>? {
    field.textSlot.map { \DealTable.texts[$0] }
  }

  static func datePath(_ field: Field) -> WritableKeyPath<DealTable, [Int32]>? {
    field.dateSlot.map { \DealTable.dates[$0] }
  }

  // Row-by-row reads and writes go through a switch, not a key path: a key path into
  // this struct copies it (a retain per column) on every call.

  /// The text of a text field in `row`, or nil for other fields.
  func text(_ field: Field, at row: Int) -> String? { field.textSlot.map { texts[$0].string(at: row) } }

  /// The day number of a date field in `row`, or nil for other fields.
  func day(_ field: Field, at row: Int) -> Int32? { field.dateSlot.map { dates[$0][row] } }

  /// A text field's column, for reads done once per statement.
  public func textColumn(_ field: Field) -> TextColumn { texts[field.textSlot!] }

  /// A date field's column, for reads done once per statement.
  public func dateColumn(_ field: Field) -> [Int32] { dates[field.dateSlot!] }

  /// Runs `body` on a text field's column in place.
  @discardableResult
  mutating func modifyText<R>(_ field: Field, _ body: (inout TextColumn) -> R) -> R {
    guard let slot = field.textSlot else { preconditionFailure("\(field) is not a text field") }
    return body(&texts[slot])
  }

  /// Runs `body` on a date field's column in place.
  mutating func modifyDates(_ field: Field, _ body: (inout [Int32]) -> Void) {
    guard let slot = field.dateSlot else { preconditionFailure("\(field) is not a date field") }
    body(&dates[slot])
  }

  /// The value of `field` for the deal in `row`; derived durations count to `today`.
  public func value(_ field: Field, at row: Int, today: Day) -> Value {
    if let text = text(field, at: row) { return text.isEmpty ? .empty : .text(text) }
    if let day = day(field, at: row) { return day == DealTable.emptyDay ? .empty : .date(Day(number: day)) }
    switch field {
    case .id: return .integer(ids[row])
    case .pipeline: return .text(pipelines.pipelineName(of: stage[row]))
    case .stage: return .text(pipelines.stages[Int(stage[row])].name)
    case .status: return .text(pipelines.status(of: stage[row]).rawValue)
    case .value: return value[row] == DealTable.emptyMoney ? .empty : .money(value[row])
    case .tags:
      let list = tags.tags(at: row)
      return list.isEmpty ? .empty : .tags(list)
    case .age, .stageAge, .idle:
      let base = day(field.durationBase!, at: row)!
      return base == DealTable.emptyDay ? .empty : .days(Int(today.number - base))
    case .probability, .weighted:
      return DealTable.weighing(field, row, self, stageProbabilities())
    default: return .empty
    }
  }

  /// Each stage's win probability (0…1) under the store's settings.
  public func stageProbabilities() -> [Double] {
    pipelines.stages.indices.map { settings.probability(of: UInt16($0), in: pipelines) }
  }

  /// Reads `field` row after row. Statements that read a field for many deals (lists,
  /// ordering, aggregates, groups, trends) take one of these: `probability` and
  /// `weighted` then look the stage up in probabilities computed once, not once per deal.
  public func reader(for field: Field, today: Day) -> (Int) -> Value {
    guard field == .probability || field == .weighted else { return { row in value(field, at: row, today: today) } }
    let probabilities = stageProbabilities()
    return { row in DealTable.weighing(field, row, self, probabilities) }
  }

  /// `probability` in whole percent, or `weighted` in cents, from per-stage probabilities.
  static func weighing(_ field: Field, _ row: Int, _ table: DealTable, _ probabilities: [Double]) -> Value {
    let probability = probabilities[Int(table.stage[row])]
    if field == .probability { return .integer(Int64((probability * 100).rounded())) }
    let cents = table.value[row]
    return cents == DealTable.emptyMoney ? .empty : .money(Int64((Double(cents) * probability).rounded()))
  }

  public func deal(at row: Int) -> Deal {
    var deal = Deal(id: ids[row])
    for field in Field.stored where field != .id {
      deal[field] = value(field, at: row, today: Day(number: 0))
    }
    return deal
  }

  /// Appends deals whose pipelines and stages exist in `pipelines`, resolving each
  /// distinct (pipeline, stage) pair once.
  mutating func append(_ deals: [Deal]) {
    var stages: [String: UInt16] = [:]
    for deal in deals {
      let key = deal.pipeline + "\u{1F}" + deal.stage
      let stage: UInt16
      if let known = stages[key] {
        stage = known
      } else {
        stage = pipelines.stage(named: deal.stage, in: pipelines.pipeline(named: deal.pipeline)!)!
        stages[key] = stage
      }
      append(deal, stage: stage)
    }
  }

  private mutating func append(_ deal: Deal, stage stageID: UInt16) {
    ids.append(deal.id ?? 0)
    for (slot, field) in Field.storedText.enumerated() { texts[slot].append(deal[field].text) }
    tags.append(deal.tags)
    stage.append(stageID)
    value.append(deal.value ?? DealTable.emptyMoney)
    for (slot, field) in Field.storedDates.enumerated() {
      dates[slot].append(deal[field].day?.number ?? DealTable.emptyDay)
    }
  }

  /// Keeps the rows for which `keep` is true, in order.
  mutating func retainRows(_ keep: (Int) -> Bool) {
    let rows = (0..<count).filter(keep)
    permute(rows)
  }

  /// Reorders (or drops) rows: the new row i is the old row `order[i]`.
  mutating func permute(_ order: [Int]) {
    func pick<T>(_ column: [T]) -> [T] { order.map { column[$0] } }
    ids = pick(ids)
    for slot in texts.indices { texts[slot].codes = pick(texts[slot].codes) }
    tags.codes = pick(tags.codes)
    stage = pick(stage)
    value = pick(value)
    for slot in dates.indices { dates[slot] = pick(dates[slot]) }
  }

  /// Restores id order after appending deals with lower ids.
  mutating func sortByID() {
    if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return }
    permute(ids.indices.sorted { ids[$0] < ids[$1] })
  }
}
