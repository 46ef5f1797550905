extension Executor {
  /// count / sum / avg / min / max / median, optionally grouped. Groups by stage follow
  /// stage order; other groups sort by key, empty last (calendar periods sort in time
  /// order). A deal with several tags counts in each of its tags' groups.
  public static func run(_ plan: AggregatePlan, on table: DealTable, today: Day)
    -> (ResultTable, currencies: [String])
  {
    let selected = FilterCompiler.bitmap(plan.filter, table)
    let name = plan.function.rawValue
    let currencies = plan.field == .value || plan.field == .weighted ? currenciesSummed(selected, table) : []
    if plan.function == .median, let field = plan.field {
      return (medians(field, plan.groupBy, plan.groupPeriod, selected, table, today), currencies)
    }
    guard let group = plan.groupBy else {
      let total: Accumulator
      if plan.field == nil {
        total = Accumulator(count: selected.count)
      } else {
        total = accumulate(plan.field!, selected, table, today)
      }
      return (ResultTable(columns: [name], rows: [[total.value(plan.function, plan.field)]]), currencies)
    }
    var groups: [Value: Accumulator] = [:]
    var keysInOrder: [Value] = []
    if let (codes, keys) = groupCodes(group, plan.groupPeriod, table),
      plan.field == nil || plan.field == .value || plan.field == .weighted
    {
      // Group by dictionary code or stage id, money read from its column: one pass,
      // no value built per row.
      var buckets = [Accumulator](repeating: Accumulator(), count: keys.count)
      let values = table.value
      let counting = plan.field == nil
      // Weighted: value × its stage's probability, looked up per stage id.
      let probabilities = plan.field == .weighted ? table.stageProbabilities() : nil
      let stages = table.stage
      selected.forEachRow { row in
        let code = codes(row)
        buckets[code].rows += 1
        if counting {
          buckets[code].count += 1
        } else if values[row] != DealTable.emptyMoney {
          if let probabilities {
            buckets[code].add(Int64((Double(values[row]) * probabilities[Int(stages[row])]).rounded()))
          } else {
            buckets[code].add(values[row])
          }
        }
      }
      for (code, bucket) in buckets.enumerated() where bucket.rows > 0 {
        if groups[keys[code]] == nil { keysInOrder.append(keys[code]) }
        groups[keys[code], default: Accumulator()].merge(bucket)
      }
    } else {
      let reader = plan.field.map { numberReader($0, table, today) }
      selected.forEachRow { row in
        for key in groupKeys(group, plan.groupPeriod, row, table, today) {
          if groups[key] == nil { keysInOrder.append(key) }
          groups[key, default: Accumulator()].rows += 1
          if let reader {
            if let number = reader(row) { groups[key]!.add(number) }
          } else {
            groups[key]!.count += 1
          }
        }
      }
    }
    let ordered = orderGroups(keysInOrder, group, table)
    let result = ordered.map { [$0, groups[$0]!.value(plan.function, plan.field)] }
    return (ResultTable(columns: [groupHeading(group, plan.groupPeriod), name], rows: result), currencies)
  }

  /// Count, sum, minimum and maximum of the numbers seen; every aggregate but the
  /// median is one of these or a ratio of two.
  struct Accumulator {
    /// Selected rows, whether or not they had a number.
    var rows = 0
    var count = 0
    var sum: Int64 = 0
    var minimum = Int64.max
    var maximum = Int64.min

    init(count: Int = 0) { self.count = count }

    mutating func add(_ number: Int64) {
      count += 1
      sum &+= number
      minimum = Swift.min(minimum, number)
      maximum = Swift.max(maximum, number)
    }

    mutating func merge(_ other: Accumulator) {
      rows += other.rows
      count += other.count
      sum &+= other.sum
      minimum = Swift.min(minimum, other.minimum)
      maximum = Swift.max(maximum, other.maximum)
    }

    /// Empty values are skipped; a sum of nothing is zero, any other aggregate of
    /// nothing is empty.
    func value(_ function: AggregatePlan.Function, _ field: Field?) -> Value {
      guard let field else { return .integer(Int64(count)) }
      if function == .count { return .integer(Int64(count)) }
      guard count > 0 else { return function == .sum ? Executor.wrap(0, field) : .empty }
      switch function {
      case .count: return .integer(Int64(count))
      case .sum: return Executor.wrap(sum, field)
      case .min: return Executor.wrap(minimum, field)
      case .max: return Executor.wrap(maximum, field)
      case .avg: return Executor.mean(Double(sum) / Double(count), field)
      case .median: preconditionFailure("medians are computed from the values (Executor.medians)")
      }
    }
  }

  /// An average of a field's numbers: money to the cent, other numbers to a tenth.
  static func mean(_ mean: Double, _ field: Field) -> Value {
    if field == .value { return .money(Int64(mean.rounded(.toNearestOrAwayFromZero))) }
    return .number((mean * 10).rounded() / 10)
  }

  /// The middle value of each group (the mean of the two middle ones for an even count);
  /// empty values are skipped, as for the other aggregates.
  private static func medians(
    _ field: Field, _ group: Field?, _ period: Period.Unit?, _ selected: RowBitmap, _ table: DealTable, _ today: Day
  ) -> ResultTable {
    var lists: [Value: [Int64]] = [:]
    var keysInOrder: [Value] = []
    let coded = group.flatMap { groupCodes($0, period, table) } ?? (group == nil ? ({ _ in 0 }, [Value.empty]) : nil)
    if let (codes, keys) = coded, field == .value {
      // Money by code, straight from its column: no value built per row.
      var buckets = [[Int64]](repeating: [], count: keys.count)
      var seen = [Bool](repeating: false, count: keys.count)
      let values = table.value
      selected.forEachRow { row in
        let code = codes(row)
        seen[code] = true
        if values[row] != DealTable.emptyMoney { buckets[code].append(values[row]) }
      }
      for code in keys.indices where seen[code] {
        if lists[keys[code]] == nil { keysInOrder.append(keys[code]) }
        lists[keys[code], default: []] += buckets[code]
      }
    } else {
      let reader = numberReader(field, table, today)
      selected.forEachRow { row in
        let keys = group.map { groupKeys($0, period, row, table, today) } ?? [.empty]
        for key in keys {
          if lists[key] == nil {
            keysInOrder.append(key)
            lists[key] = []
          }
          if let number = reader(row) { lists[key]!.append(number) }
        }
      }
    }
    func median(_ numbers: [Int64]) -> Value {
      guard !numbers.isEmpty else { return .empty }
      let sorted = numbers.sorted()
      let middle = sorted.count / 2
      if sorted.count % 2 == 1 { return wrap(sorted[middle], field) }
      let mean = (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
      return field.kind == .date ? wrap(Int64(mean.rounded(.down)), field) : Executor.mean(mean, field)
    }
    guard let group else {
      return ResultTable(columns: ["median"], rows: [[median(lists[.empty] ?? [])]])
    }
    let rows = orderGroups(keysInOrder, group, table).map { [$0, median(lists[$0]!)] }
    return ResultTable(columns: [groupHeading(group, period), "median"], rows: rows)
  }

  private static func accumulate(_ field: Field, _ selected: RowBitmap, _ table: DealTable, _ today: Day)
    -> Accumulator
  {
    var total = Accumulator()
    if field == .value {
      let values = table.value
      selected.forEachRow { row in
        if values[row] != DealTable.emptyMoney { total.add(values[row]) }
      }
    } else {
      let reader = numberReader(field, table, today)
      selected.forEachRow { row in
        if let number = reader(row) { total.add(number) }
      }
    }
    return total
  }

  /// The currencies of the non-empty values summed, so a total across several can warn.
  private static func currenciesSummed(_ selected: RowBitmap, _ table: DealTable) -> [String] {
    var seen = [Bool](repeating: false, count: table.currency.dictionary.strings.count)
    let values = table.value
    let codes = table.currency.codes
    selected.forEachRow { row in
      if values[row] != DealTable.emptyMoney { seen[Int(codes[row])] = true }
    }
    return seen.indices.filter { seen[$0] }.map { table.currency.dictionary[UInt32($0)] }.sorted()
  }

  /// `owner`, or `month(created)`.
  static func groupHeading(_ field: Field, _ period: Period.Unit?) -> String {
    period.map { "\($0.rawValue)(\(field.rawValue))" } ?? field.rawValue
  }

  /// For fields stored as codes: each row's code and each code's group value.
  private static func groupCodes(_ field: Field, _ period: Period.Unit?, _ table: DealTable)
    -> ((Int) -> Int, [Value])?
  {
    if let period {
      // Day numbers span a few thousand days: label each day of the span once, then a
      // row's group is an array read.
      let days = table.dateColumn(field)
      var low = Int32.max
      var high = Int32.min
      for day in days where day != DealTable.emptyDay {
        low = min(low, day)
        high = max(high, day)
      }
      var keys: [Value] = [.empty]
      var indexOfLabel: [String: Int] = [:]
      var groupOfDay: [Int] = []
      if low <= high {
        groupOfDay.reserveCapacity(Int(high - low) + 1)
        for number in low...high {
          let label = Period.label(period, holding: Day(number: number))
          if let index = indexOfLabel[label] {
            groupOfDay.append(index)
          } else {
            indexOfLabel[label] = keys.count
            groupOfDay.append(keys.count)
            keys.append(.text(label))
          }
        }
      }
      return ({ row in days[row] == DealTable.emptyDay ? 0 : groupOfDay[Int(days[row] - low)] }, keys)
    }
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

  private static func groupKeys(_ field: Field, _ period: Period.Unit?, _ row: Int, _ table: DealTable, _ today: Day)
    -> [Value]
  {
    let value = table.value(field, at: row, today: today)
    if let period {
      guard case .date(let day) = value else { return [.empty] }
      return [.text(Period.label(period, holding: day))]
    }
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

  /// Reads a field's number row by row; `probability` and `weighted` look their stage up
  /// in probabilities computed once, not once per deal.
  private static func numberReader(_ field: Field, _ table: DealTable, _ today: Day) -> (Int) -> Int64? {
    if field == .probability || field == .weighted {
      let probabilities = table.stageProbabilities()
      return { row in number(DealTable.weighing(field, row, table, probabilities)) }
    }
    return { row in number(table.value(field, at: row, today: today)) }
  }

  private static func number(_ value: Value) -> Int64? {
    switch value {
    case .money(let cents): return cents
    case .integer(let n): return n
    case .days(let days): return Int64(days)
    case .date(let day): return Int64(day.number)
    default: return nil
    }
  }

  static func wrap(_ number: Int64, _ field: Field) -> Value {
    switch field.kind {
    case .money: return .money(number)
    case .days: return .days(Int(number))
    case .date: return .date(Day(number: Int32(number)))
    default: return .integer(number)
    }
  }
}
