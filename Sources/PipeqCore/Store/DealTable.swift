/// The deals, stored by column: text as dictionary codes, money as cents, dates as
/// day numbers, the stage as a 16-bit id. Rows are kept sorted by id, so a scan in
/// row order is already in id order.
public struct DealTable: RecordTable, Equatable {
  public typealias RecordFieldKind = Field
  public static let emptyMoney = Int64.min

  public var pipelines = Pipelines.standard
  public var ids: [Int64] = []
  public var texts = DealTable.emptyTexts
  public var tags = TagColumn()
  public var stage: [UInt16] = []
  public var value: [Int64] = []
  public var dates = DealTable.emptyDates
  /// Deals have no integer fields besides the id (the value is money, in `value`).
  public var integers = DealTable.emptyIntegers
  /// Saved queries (lowercased name → the text after `define NAME as`) and report
  /// settings, each read into its type when set.
  public var definitions = Definitions()
  /// The report settings.
  public var settings: Settings { definitions.settings }
  /// Stage changes, oldest first (empty in a table that only carries deals for a change).
  public var history = StageHistory()

  public init() {}

  /// Saved filters and statements, by lowercased name.
  public var savedQueries: [String: SavedQuery] { definitions.queries }

  /// The value of `field` for the deal in `row`; derived durations count to `today`.
  public func value(_ field: Field, at row: Int, today: Day) -> Value {
    if let value = recordValue(field, at: row) { return value }
    switch field {
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
    appendRecordRow(id: deal.id ?? 0) { deal[$0] }
    tags.append(deal.tags)
    stage.append(stageID)
    value.append(deal.value ?? DealTable.emptyMoney)
  }

  /// Keeps the rows for which `keep` is true, in order.
  mutating func retainRows(_ keep: (Int) -> Bool) {
    let rows = (0..<count).filter(keep)
    permute(rows)
  }

  /// Reorders (or drops) rows: the new row i is the old row `order[i]`.
  mutating func permute(_ order: [Int]) {
    func pick<T>(_ column: [T]) -> [T] { order.map { column[$0] } }
    permuteRecordColumns(order)
    tags.codes = pick(tags.codes)
    stage = pick(stage)
    value = pick(value)
  }

  /// Restores id order after appending deals with lower ids.
  mutating func sortByID() {
    if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return }
    permute(ids.indices.sorted { ids[$0] < ids[$1] })
  }
}
