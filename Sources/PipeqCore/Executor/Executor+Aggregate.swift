extension Executor {
  /// count / sum / avg / min / max, optionally grouped. Groups by stage follow stage
  /// order; other groups sort by key, empty last. A deal with several tags counts
  /// in each of its tags' groups.
  public static func run(_ plan: AggregatePlan, on table: DealTable, today: Day)
    -> (ResultTable, currencies: [String])
  {
    let rows = FilterCompiler.select(plan.filter, table)
    let name = plan.function.rawValue
    var currencies: [String] = []
    if plan.field == .value {
      var seen = Set<UInt32>()
      for row in rows where table.value[row] != DealTable.emptyMoney { seen.insert(table.currency.codes[row]) }
      currencies = seen.map { table.currency.dictionary[$0] }.sorted()
    }
    guard let group = plan.groupBy else {
      let value = aggregate(plan, rows, table, today)
      return (ResultTable(columns: [name], rows: [[value]]), currencies)
    }
    var groups: [Value: [Int]] = [:]
    var keysInOrder: [Value] = []
    if let (codes, keys) = groupCodes(group, table) {
      // Group by dictionary code or stage id: no value is built per row.
      var buckets = [[Int]](repeating: [], count: keys.count)
      for row in rows { buckets[codes(row)].append(row) }
      for (code, bucket) in buckets.enumerated() where !bucket.isEmpty {
        if groups[keys[code]] == nil { keysInOrder.append(keys[code]) }
        groups[keys[code], default: []].append(contentsOf: bucket)
      }
    } else {
      for row in rows {
        for key in groupKeys(group, row, table, today) {
          if groups[key] == nil { keysInOrder.append(key) }
          groups[key, default: []].append(row)
        }
      }
    }
    let ordered = orderGroups(keysInOrder, group, table)
    let result = ordered.map { [$0, aggregate(plan, groups[$0]!, table, today)] }
    return (ResultTable(columns: [group.rawValue, name], rows: result), currencies)
  }

  /// For fields stored as codes: each row's code and each code's group value.
  private static func groupCodes(_ field: Field, _ table: DealTable) -> ((Int) -> Int, [Value])? {
    if let path = DealTable.textPath(field) {
      let column = table[keyPath: path]
      let keys = column.dictionary.strings.map { $0.isEmpty ? Value.empty : .text($0) }
      let codes = column.codes
      return ({ Int(codes[$0]) }, keys)
    }
    guard [.stage, .pipeline, .status].contains(field) else { return nil }
    let catalog = table.pipelines
    let keys: [Value] = catalog.stages.indices.map { id in
      switch field {
      case .stage: return .text(catalog.stages[id].name)
      case .pipeline: return .text(catalog.pipelineName(of: UInt16(id)))
      default: return .text(catalog.status(of: UInt16(id)).rawValue)
      }
    }
    let stages = table.stage
    return ({ Int(stages[$0]) }, keys)
  }

  private static func groupKeys(_ field: Field, _ row: Int, _ table: DealTable, _ today: Day) -> [Value] {
    let value = table.value(field, at: row, today: today)
    if case .tags(let tags) = value { return tags.map(Value.text) }
    return [value]
  }

  private static func orderGroups(_ keys: [Value], _ field: Field, _ table: DealTable) -> [Value] {
    if field == .stage {
      // Open stages by the first position they have in any pipeline; won, then lost, last.
      var rank: [String: Int] = [:]
      for pipeline in table.pipelines.pipelines {
        for stage in pipeline.stages {
          let info = table.pipelines.stages[Int(stage)]
          let position: Int
          switch table.pipelines.status(of: stage) {
          case .open: position = info.position
          case .won: position = 1_000_000
          case .lost: position = 1_000_001
          }
          rank[info.name.folded] = min(rank[info.name.folded] ?? Int.max, position)
        }
      }
      return keys.sorted { a, b in
        let ra = rank[a.text.folded] ?? Int.max
        let rb = rank[b.text.folded] ?? Int.max
        return ra != rb ? ra < rb : a < b
      }
    }
    return keys.sorted { a, b in
      if a.isEmpty != b.isEmpty { return b.isEmpty }
      return a < b
    }
  }

  private static func aggregate(_ plan: AggregatePlan, _ rows: [Int], _ table: DealTable, _ today: Day)
    -> Value
  {
    guard let field = plan.field else { return .integer(Int64(rows.count)) }
    var numbers: [Int64] = []
    numbers.reserveCapacity(rows.count)
    if field == .value {
      // Money is read straight from its column.
      let values = table.value
      for row in rows where values[row] != DealTable.emptyMoney { numbers.append(values[row]) }
    } else {
      appendNumbers(field, rows, table, today, to: &numbers)
    }
    guard !numbers.isEmpty else { return plan.function == .sum ? wrap(0, field) : .empty }
    return combine(plan.function, numbers, field)
  }

  private static func appendNumbers(
    _ field: Field, _ rows: [Int], _ table: DealTable, _ today: Day, to numbers: inout [Int64]
  ) {
    for row in rows {
      switch table.value(field, at: row, today: today) {
      case .money(let cents): numbers.append(cents)
      case .integer(let n): numbers.append(n)
      case .days(let days): numbers.append(Int64(days))
      case .date(let day): numbers.append(Int64(day.number))
      default: break
      }
    }
  }

  private static func combine(_ function: AggregatePlan.Function, _ numbers: [Int64], _ field: Field) -> Value {
    switch function {
    case .count: return .integer(Int64(numbers.count))
    case .sum: return wrap(numbers.reduce(0, &+), field)
    case .min: return wrap(numbers.min()!, field)
    case .max: return wrap(numbers.max()!, field)
    case .avg:
      let mean = Double(numbers.reduce(0, &+)) / Double(numbers.count)
      if field == .value { return .money(Int64(mean.rounded(.toNearestOrAwayFromZero))) }
      return .number((mean * 10).rounded() / 10)
    }
  }

  private static func wrap(_ number: Int64, _ field: Field) -> Value {
    switch field.kind {
    case .money: return .money(number)
    case .days: return .days(Int(number))
    case .date: return .date(Day(number: Int32(number)))
    default: return .integer(number)
    }
  }
}
