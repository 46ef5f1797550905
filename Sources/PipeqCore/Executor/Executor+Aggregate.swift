import Dispatch

extension Executor {
  /// count / sum / avg / min / max / median, optionally grouped. Groups by stage follow
  /// stage order; other groups sort by key, empty last (calendar periods sort in time
  /// order). A deal with several tags counts in each of its tags' groups.
  /// `rowsPerPart` and `cores` split the grouped pass between cores; they are
  /// parameters so tests can cross many part edges.
  public static func run(
    _ plan: AggregatePlan, on table: DealTable, today: Day, rowsPerPart: Int = FilterScan.rowsPerChunk,
    cores: Int = Parallel.cores
  )
    -> (ResultTable, currencies: [String])
  {
    let (table, currencies) = unranked(plan, on: table, today: today, rowsPerPart: rowsPerPart, cores: cores)
    guard let ranking = plan.ranking else { return (table, currencies) }
    let byStage = ranking.column < plan.groups.count && plan.groups[ranking.column].field == .stage
    return (ranked(table, ranking, byStage: byStage), currencies)
  }

  /// The groups in the ranking's order (ties keep the groups' own order), the first N.
  /// Stages rank in pipeline order, the order the groups come in, not by name.
  static func ranked(_ table: ResultTable, _ ranking: AggregatePlan.Ranking, byStage: Bool = false) -> ResultTable {
    var ranked = table
    let column = ranking.column
    var stageRank: [Value: Int] = [:]
    if byStage {
      for row in table.rows where stageRank[row[column]] == nil { stageRank[row[column]] = stageRank.count }
    }
    let key = { (row: [Value]) in byStage ? Value.integer(Int64(stageRank[row[column]]!)) : row[column] }
    ranked.rows = table.rows.enumerated().sorted { a, b in
      let (x, y) = (key(a.element), key(b.element))
      if x.isEmpty != y.isEmpty { return y.isEmpty }
      if x < y || y < x { return ranking.descending ? y < x : x < y }
      return a.offset < b.offset
    }.map(\.element)
    if let limit = ranking.limit, ranked.rows.count > limit {
      ranked.totalRows = ranked.rows.count
      ranked.rows.removeLast(ranked.rows.count - limit)
      ranked.rowNoun = "group"
    }
    return ranked
  }

  private static func unranked(
    _ plan: AggregatePlan, on table: DealTable, today: Day, rowsPerPart: Int, cores: Int
  ) -> (ResultTable, currencies: [String]) {
    let selected = FilterCompiler.bitmap(plan.filter, table)
    let name = plan.function.rawValue
    let parts = max(1, min(cores, table.count / max(rowsPerPart, 64)))
    let summed = plan.field == .value || plan.field == .weighted
    let currencies = summed ? currenciesSummed(selected, table, parts: parts) : []
    if plan.function == .median, let field = plan.field {
      return (medians(field, plan.groups, selected, table, today, parts: parts), currencies)
    }
    guard !plan.groups.isEmpty else {
      let total: Accumulator
      if plan.field == nil {
        total = Accumulator(count: selected.count)
      } else {
        total = accumulate(plan.field!, selected, table, today)
      }
      return (ResultTable(columns: [name], rows: [[total.value(plan.function, plan.field)]]), currencies)
    }
    if plan.field == nil || summed, let coded = GroupCodes(plan.groups, table, parts: parts) {
      // Group numbers are the result's rows: ordered as numbers, no key hashed.
      let buckets = bucketed(plan.field, coded, selected, table, parts: parts)
      let used = coded.ordered(buckets.indices.filter { buckets[$0].rows > 0 })
      let rows = used.map { coded.keys($0) + [buckets[$0].value(plan.function, plan.field)] }
      return (grouped(plan.groups, name, rows), currencies)
    }
    var groups: [[Value]: Accumulator] = [:]
    var keysInOrder: [[Value]] = []
    let reader = plan.field.map { numberReader($0, table, today) }
    let keyReaders = plan.groups.map { table.reader(for: $0.field, today: today) }
    selected.forEachRow { row in
      for key in combinedKeys(plan.groups, keyReaders, row) {
        if groups[key] == nil { keysInOrder.append(key) }
        groups[key, default: Accumulator()].rows += 1
        if let reader {
          if let number = reader(row) { groups[key]!.add(number) }
        } else {
          groups[key]!.count += 1
        }
      }
    }
    let ordered = orderKeys(keysInOrder, plan.groups, table)
    let result = ordered.map { $0 + [groups[$0]!.value(plan.function, plan.field)] }
    return (grouped(plan.groups, name, result), currencies)
  }

  /// A grouped result: the groups' keys, then the aggregate.
  private static func grouped(_ groups: [AggregatePlan.Group], _ name: String, _ rows: [[Value]]) -> ResultTable {
    var table = ResultTable(columns: groups.map(groupHeading) + [name], rows: rows)
    table.keyColumns = groups.count
    return table
  }

  /// Each group's count or money, by group number: one pass, no value built per row,
  /// the rows split between the cores (each part its own buckets, merged after).
  private static func bucketed(
    _ field: Field?, _ coded: GroupCodes, _ selected: RowBitmap, _ table: DealTable, parts: Int
  ) -> [Accumulator] {
    let ranges = selected.wordRanges(parts: parts)
    let results = ParallelSlots<[Accumulator]>(count: parts)
    // Weighted: value × its stage's probability, looked up per stage id.
    let probabilities = field == .weighted ? table.stageProbabilities() : nil
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      results[part] = bucketed(counting: field == nil, probabilities, coded, selected, ranges[part], table)
    }
    var buckets = results[0]
    for part in 1..<parts {
      for (code, bucket) in results[part].enumerated() { buckets[code].merge(bucket) }
    }
    return buckets
  }

  /// The buckets of the rows in the bitmap's `words`.
  private static func bucketed(
    counting: Bool, _ probabilities: [Double]?, _ coded: GroupCodes, _ selected: RowBitmap, _ words: Range<Int>,
    _ table: DealTable
  ) -> [Accumulator] {
    var buckets = [Accumulator](repeating: Accumulator(), count: coded.count)
    // Through buffers: a write to a captured array checks it is unshared every row.
    buckets.withUnsafeMutableBufferPointer { buckets in
      table.value.withUnsafeBufferPointer { values in
        table.stage.withUnsafeBufferPointer { stages in
          coded.withRowNumbers { codes in
            selected.forEachRow(inWords: words) { row in
              let code = codes[row]
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
          }
        }
      }
    }
    return buckets
  }

  /// Every combination of a row's keys (a deal with several tags is in each tag's
  /// group), with each group's field read through `readers`.
  private static func combinedKeys(_ groups: [AggregatePlan.Group], _ readers: [(Int) -> Value], _ row: Int)
    -> [[Value]]
  {
    var combinations: [[Value]] = [[]]
    for (group, read) in zip(groups, readers) {
      let keys = groupKeys(read(row), group.period)
      combinations = combinations.flatMap { prefix in keys.map { prefix + [$0] } }
    }
    return combinations
  }

  /// Keys in each group's own order (stages by stage order, others by value, empty last),
  /// the first group first.
  private static func orderKeys(_ keys: [[Value]], _ groups: [AggregatePlan.Group], _ table: DealTable) -> [[Value]] {
    let ranks: [[Value: Int]] = groups.indices.map { index in
      let distinct = Array(Set(keys.map { $0[index] }))
      let ordered = orderGroups(distinct, groups[index].field, table)
      return Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
    }
    // Each key's ranks looked up once, not in every comparison.
    let ranked = keys.map { key in groups.indices.map { ranks[$0][key[$0]]! } }
    return keys.indices.sorted { ranked[$0].lexicographicallyPrecedes(ranked[$1]) }.map { keys[$0] }
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
    _ field: Field, _ groups: [AggregatePlan.Group], _ selected: RowBitmap, _ table: DealTable, _ today: Day,
    parts: Int
  ) -> ResultTable {
    if field == .value, let coded = GroupCodes(groups, table, parts: parts) {
      return codedMedians(coded, groups, selected, table, parts: parts)
    }
    var lists: [[Value]: [Int64]] = [:]
    var keysInOrder: [[Value]] = []
    let reader = numberReader(field, table, today)
    let keyReaders = groups.map { table.reader(for: $0.field, today: today) }
    selected.forEachRow { row in
      for key in combinedKeys(groups, keyReaders, row) {
        if lists[key] == nil {
          keysInOrder.append(key)
          lists[key] = []
        }
        if let number = reader(row) { lists[key]!.append(number) }
      }
    }
    func median(_ numbers: [Int64]) -> Value {
      var numbers = numbers
      return numbers.withUnsafeMutableBufferPointer { middleValue($0, field) }
    }
    guard !groups.isEmpty else {
      return ResultTable(columns: ["median"], rows: [[median(lists[[]] ?? [])]])
    }
    let rows = orderKeys(keysInOrder, groups, table).map { $0 + [median(lists[$0]!)] }
    var grouped = ResultTable(columns: groups.map(groupHeading) + ["median"], rows: rows)
    grouped.keyColumns = groups.count
    return grouped
  }

  /// The median of `numbers` (reordered) as a value of `field`; empty for none.
  private static func middleValue(_ numbers: UnsafeMutableBufferPointer<Int64>, _ field: Field) -> Value {
    guard !numbers.isEmpty else { return .empty }
    let (lower, upper) = Selection.middle(in: numbers)
    if numbers.count % 2 == 1 { return wrap(upper, field) }
    let mean = (Double(lower) + Double(upper)) / 2
    return field.kind == .date ? wrap(Int64(mean.rounded(.down)), field) : Executor.mean(mean, field)
  }

  /// Medians of money by group number: the values are counted per group, laid out in one
  /// array a group after another (no array grown per group), and each group's part is
  /// selected in place. Counting and laying out split the rows between `parts` cores
  /// (each part's values of a group go after the earlier parts'), and the groups are
  /// selected on all cores.
  private static func codedMedians(
    _ coded: GroupCodes, _ groups: [AggregatePlan.Group], _ selected: RowBitmap, _ table: DealTable, parts: Int
  ) -> ResultTable {
    let ranges = selected.wordRanges(parts: parts)
    let tallies = ParallelSlots<MedianTally>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      tallies[part] = MedianTally(coded, selected, ranges[part], table)
    }
    let layout = MedianLayout((0..<parts).map { tallies[$0] }, groups: coded.count)
    // Without groups the one median is there even when no deal is selected (empty).
    let used = groups.isEmpty ? [0] : coded.ordered(layout.rows.indices.filter { layout.rows[$0] > 0 })
    let medians = ParallelSlots<Value>(count: used.count)
    let laid = UnsafeMutableBufferPointer<Int64>.allocate(capacity: layout.total)
    defer { laid.deallocate() }
    let values = UncheckedSendable(laid)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      layout.lay(coded, selected, ranges[part], table, startingAt: layout.starts[part], into: values.value)
    }
    DispatchQueue.concurrentPerform(iterations: used.count) { index in
      let group = UnsafeMutableBufferPointer(rebasing: values.value[layout.bounds(of: used[index])])
      medians[index] = middleValue(group, .value)
    }
    let result = used.indices.map { coded.keys(used[$0]) + [medians[$0]] }
    return grouped(groups, "median", result)
  }

  /// One part's selected rows and non-empty values per group number.
  private struct MedianTally {
    var rows: [Int]
    var values: [Int]

    init(_ coded: GroupCodes, _ selected: RowBitmap, _ words: Range<Int>, _ table: DealTable) {
      var rows = [Int](repeating: 0, count: coded.count)
      var values = [Int](repeating: 0, count: coded.count)
      // Through buffers: a write to a captured array checks it is unshared every row.
      rows.withUnsafeMutableBufferPointer { rows in
        values.withUnsafeMutableBufferPointer { counts in
          table.value.withUnsafeBufferPointer { money in
            coded.withRowNumbers { codes in
              selected.forEachRow(inWords: words) { row in
                let code = codes[row]
                rows[code] += 1
                if money[row] != DealTable.emptyMoney { counts[code] += 1 }
              }
            }
          }
        }
      }
      (self.rows, self.values) = (rows, values)
    }
  }

  /// Where each part's values of each group go in the one array of all values.
  private struct MedianLayout: Sendable {
    /// Selected rows per group, over all parts.
    var rows: [Int]
    /// Per part, the first place of its values of each group.
    var starts: [[Int]]
    /// Where each group's values begin, and the total at the end.
    var groupStarts: [Int]
    var total: Int { groupStarts.last! }

    init(_ tallies: [MedianTally], groups: Int) {
      rows = [Int](repeating: 0, count: groups)
      starts = [[Int]](repeating: [Int](repeating: 0, count: groups), count: tallies.count)
      groupStarts = [Int](repeating: 0, count: groups + 1)
      var next = 0
      for code in 0..<groups {
        groupStarts[code] = next
        for (part, tally) in tallies.enumerated() {
          starts[part][code] = next
          next += tally.values[code]
          rows[code] += tally.rows[code]
        }
      }
      groupStarts[groups] = next
    }

    func bounds(of code: Int) -> Range<Int> { groupStarts[code]..<groupStarts[code + 1] }

    /// Writes the non-empty values of the rows in `words` to their group's places.
    func lay(
      _ coded: GroupCodes, _ selected: RowBitmap, _ words: Range<Int>, _ table: DealTable, startingAt starts: [Int],
      into laid: UnsafeMutableBufferPointer<Int64>
    ) {
      var next = starts
      next.withUnsafeMutableBufferPointer { next in
        table.value.withUnsafeBufferPointer { values in
          coded.withRowNumbers { codes in
            selected.forEachRow(inWords: words) { row in
              guard values[row] != DealTable.emptyMoney else { return }
              let code = codes[row]
              laid[next[code]] = values[row]
              next[code] += 1
            }
          }
        }
      }
    }
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

  /// The currencies of the non-empty values summed, so a total across several can warn;
  /// the rows split between `parts` cores.
  private static func currenciesSummed(_ selected: RowBitmap, _ table: DealTable, parts: Int) -> [String] {
    let currency = table.textColumn(.currency)
    let ranges = selected.wordRanges(parts: parts)
    let seenByPart = ParallelSlots<[Bool]>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      seenByPart[part] = currenciesSeen(selected, ranges[part], currency, table)
    }
    let seen = (0..<parts).map { seenByPart[$0] }
    return currency.dictionary.strings.indices.filter { code in seen.contains { $0[code] } }
      .map { currency.dictionary[UInt32($0)] }.sorted()
  }

  /// Which currency codes the non-empty values of the rows in `words` have.
  private static func currenciesSeen(
    _ selected: RowBitmap, _ words: Range<Int>, _ currency: TextColumn, _ table: DealTable
  ) -> [Bool] {
    var seen = [Bool](repeating: false, count: currency.dictionary.strings.count)
    seen.withUnsafeMutableBufferPointer { seen in
      table.value.withUnsafeBufferPointer { values in
        currency.codes.withUnsafeBufferPointer { codes in
          selected.forEachRow(inWords: words) { row in
            if values[row] != DealTable.emptyMoney { seen[Int(codes[row])] = true }
          }
        }
      }
    }
    return seen
  }

  /// `owner`, or `month(created)`.
  static func groupHeading(_ group: AggregatePlan.Group) -> String {
    group.period.map { "\($0.rawValue)(\(group.field.rawValue))" } ?? group.field.rawValue
  }

  /// Text grouped as filters compare it: spellings that case-fold alike (`Event`,
  /// `event`) are one class. Returns each code's class (classes numbered in folded
  /// order, from the dictionary's folded ranks) and each class's spelling: the code
  /// most deals use.
  static func foldedClasses(_ column: TextColumn) -> (classOfCode: [Int], spelling: [Int]) {
    let ranks = column.dictionary.foldedRanks()
    var deals = [Int](repeating: 0, count: ranks.count)
    for code in column.codes { deals[Int(code)] += 1 }
    var spelling = [Int](repeating: -1, count: (ranks.max() ?? 0) + 1)
    for code in ranks.indices where spelling[ranks[code]] < 0 || deals[spelling[ranks[code]]] < deals[code] {
      spelling[ranks[code]] = code
    }
    return (ranks, spelling)
  }

  /// For each dictionary code, the code of its group's spelling.
  static func foldedCodes(_ column: TextColumn) -> [Int] {
    let (classes, spelling) = foldedClasses(column)
    return classes.map { spelling[$0] }
  }

  private static func groupKeys(_ value: Value, _ period: Period.Unit?) -> [Value] {
    if let period {
      guard case .date(let day) = value else { return [.empty] }
      return [.text(Period.label(period, holding: day))]
    }
    if case .tags(let tags) = value { return tags.map(Value.text) }
    return [value]
  }

  static func orderGroups(_ keys: [Value], _ field: Field, _ table: DealTable) -> [Value] {
    if field == .status {
      let order = DealStatus.allCases.map(\.rawValue)
      return keys.sorted { (order.firstIndex(of: $0.text) ?? 4) < (order.firstIndex(of: $1.text) ?? 4) }
    }
    if field == .stage {
      // Open stages by the first position they have in any pipeline; won, lost, then
      // parked, last.
      var rank: [String: Int] = [:]
      for pipeline in table.pipelines.pipelines where !pipeline.isRemoved {
        for stage in pipeline.stages {
          let info = table.pipelines.stages[Int(stage)]
          let position: Int
          switch table.pipelines.status(of: stage) {
          case .open: position = info.position
          case .won: position = 1_000_000
          case .lost: position = 1_000_001
          case .parked: position = 1_000_002
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
    // Text sorts by its folded bytes, folded once per key (folding in every comparison
    // took ten seconds for 130,000 accounts).
    let folded = keys.map { key -> [UInt8]? in
      if case .text(let text) = key { return FoldedStrings.fold(text) }
      return nil
    }
    return keys.indices.sorted { a, b in
      if keys[a].isEmpty != keys[b].isEmpty { return keys[b].isEmpty }
      if let x = folded[a], let y = folded[b] { return x.lexicographicallyPrecedes(y) }
      return keys[a] < keys[b]
    }.map { keys[$0] }
  }

  /// Reads a field's number row by row (`DealTable.reader`).
  private static func numberReader(_ field: Field, _ table: DealTable, _ today: Day) -> (Int) -> Int64? {
    let read = table.reader(for: field, today: today)
    return { row in number(read(row)) }
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
