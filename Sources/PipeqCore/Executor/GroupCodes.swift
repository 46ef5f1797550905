import Dispatch

/// The group of every row of a group-by as one array of small integers, several groups
/// packed into one (first group most significant), the keys each number stands for and
/// where each key sorts. Built column by column in tight loops; the aggregate then reads
/// one array per row, with no closure called (a closure per group per row was a third of
/// `count by owner, stage` in retains and releases). Each group's keys are distinct
/// (spellings that fold alike, stages of one name in two pipelines, are one key), so
/// group numbers are the result's rows as they are, ordered by number, not by `Value`.
struct GroupCodes {
  /// Where a row's group number comes from: one group's own column read through a
  /// lookup from its codes to its classes (no array is built per statement: at ten
  /// million deals making one was half the time of `sum value by stage`), or several
  /// groups (or calendar periods) packed into one array.
  enum Numbers {
    case packed([UInt32])
    case codes([UInt32], lookup: [UInt32])
    case stages([UInt16], lookup: [UInt32])

    /// Writes rows `range`'s numbers into `out`: as they are (`scale` nil, the first
    /// group), or after the numbers already there times `scale` (a later group).
    func fill(_ out: UnsafeMutableBufferPointer<UInt32>, _ range: Range<Int>, scale: UInt32?) {
      switch self {
      case .packed(let rows): rows.withUnsafeBufferPointer { rows in Numbers.fill(out, range, scale) { rows[$0] } }
      case .codes(let codes, let lookup):
        codes.withUnsafeBufferPointer { codes in
          lookup.withUnsafeBufferPointer { lookup in Numbers.fill(out, range, scale) { lookup[Int(codes[$0])] } }
        }
      case .stages(let stages, let lookup):
        stages.withUnsafeBufferPointer { stages in
          lookup.withUnsafeBufferPointer { lookup in Numbers.fill(out, range, scale) { lookup[Int(stages[$0])] } }
        }
      }
    }

    @inline(__always)
    private static func fill(
      _ out: UnsafeMutableBufferPointer<UInt32>, _ range: Range<Int>, _ scale: UInt32?, _ number: (Int) -> UInt32
    ) {
      guard let scale else {
        for row in range { out[row] = number(row) }
        return
      }
      for row in range { out[row] = out[row] &* scale &+ number(row) }
    }
  }

  let numbers: Numbers
  /// How many group numbers there are (some may be unused).
  let count: Int
  private let parts: [[Value]]
  /// Each group's keys' places in its order.
  private let positions: [[Int]]
  private let strides: [Int]

  /// nil when a group is not coded (a derived number) or the combinations would be too many.
  /// Several groups are packed on `parts` cores.
  init?(_ groups: [AggregatePlan.Group], _ table: DealTable, parts packingParts: Int = 1) {
    var columns: [Numbers] = []
    var parts: [[Value]] = []
    var positions: [[Int]] = []
    for group in groups {
      guard let (column, keys, places) = GroupCodes.column(group.field, group.period, table) else { return nil }
      columns.append(column)
      parts.append(keys)
      positions.append(places)
    }
    let sizes = parts.map { max(1, $0.count) }
    let (total, overflow) = sizes.reduce((1, false)) { partial, size in
      let (product, over) = partial.0.multipliedReportingOverflow(by: size)
      return (product, partial.1 || over)
    }
    guard !overflow, total <= 1 << 22 else { return nil }
    var strides = [Int](repeating: 1, count: sizes.count)
    for index in stride(from: sizes.count - 2, through: 0, by: -1) {
      strides[index] = strides[index + 1] * sizes[index + 1]
    }
    self.numbers =
      columns.count == 1 ? columns[0] : .packed(GroupCodes.pack(columns, sizes, rows: table.count, parts: packingParts))
    self.count = total
    self.parts = parts
    self.positions = positions
    self.strides = strides
  }

  /// Several groups' numbers as one, the first most significant: rows split between
  /// `parts` cores, each part filled group after group while its rows are in cache.
  private static func pack(_ columns: [Numbers], _ sizes: [Int], rows count: Int, parts: Int) -> [UInt32] {
    // No groups at all: every row is in the one group.
    guard !columns.isEmpty else { return [UInt32](repeating: 0, count: count) }
    let perPart = (count + parts - 1) / max(parts, 1)
    return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
      let out = UncheckedSendable(buffer)
      DispatchQueue.concurrentPerform(iterations: max(parts, 1)) { part in
        let rows = min(part * perPart, count)..<min((part + 1) * perPart, count)
        for (index, column) in columns.enumerated() {
          column.fill(out.value, rows, scale: index == 0 ? nil : UInt32(sizes[index]))
        }
      }
      initialized = count
    }
  }

  /// Calls `body` with a reader of each row's group number, over the columns' buffers.
  func withRowNumbers<R>(_ body: (RowNumbers) -> R) -> R {
    switch numbers {
    case .packed(let rows):
      return rows.withUnsafeBufferPointer { body(RowNumbers(packed: $0)) }
    case .codes(let codes, let lookup):
      return codes.withUnsafeBufferPointer { codes in
        lookup.withUnsafeBufferPointer { body(RowNumbers(codes: codes, lookup: $0)) }
      }
    case .stages(let stages, let lookup):
      return stages.withUnsafeBufferPointer { stages in
        lookup.withUnsafeBufferPointer { body(RowNumbers(stages: stages, lookup: $0)) }
      }
    }
  }

  /// A row's group number, read from whichever column holds it (valid inside
  /// `withRowNumbers` only).
  struct RowNumbers {
    var packed: UnsafeBufferPointer<UInt32>?
    var codes: UnsafeBufferPointer<UInt32>?
    var stages: UnsafeBufferPointer<UInt16>?
    var lookup: UnsafeBufferPointer<UInt32>?

    @inline(__always)
    subscript(row: Int) -> Int {
      if let packed { return Int(packed[row]) }
      if let stages { return Int(lookup![Int(stages[row])]) }
      return Int(lookup![Int(codes![row])])
    }
  }

  /// The keys of group number `code`, one per group.
  func keys(_ code: Int) -> [Value] {
    parts.indices.map { parts[$0][part($0, of: code)] }
  }

  private func part(_ group: Int, of code: Int) -> Int { (code / strides[group]) % max(1, parts[group].count) }

  /// The group numbers in result order: by the first group's order, then the next's.
  func ordered(_ codes: [Int]) -> [Int] {
    let ranked = codes.map { code in parts.indices.map { positions[$0][part($0, of: code)] } }
    return codes.indices.sorted { ranked[$0].lexicographicallyPrecedes(ranked[$1]) }.map { codes[$0] }
  }

  /// One group's number per row, its distinct keys and their places in order: folded
  /// text classes for text (`textClasses`), stages by name (or their pipeline, or their
  /// status) for stage, pipeline and status, calendar periods for a date grouped by
  /// week, month, quarter or year.
  private static func column(_ field: Field, _ period: Period.Unit?, _ table: DealTable) -> (
    Numbers, [Value], [Int]
  )? {
    if let period {
      let (rows, keys) = periods(table.dateColumn(field), period)
      return (.packed(rows), keys, places(keys, field, table))
    }
    if let slot = field.textSlot { return textClasses(table.texts[slot]) }
    guard [.stage, .pipeline, .status].contains(field) else { return nil }
    let catalog = table.pipelines
    let names: [Value] = catalog.stages.indices.map { id in
      switch field {
      case .stage: return .text(catalog.stages[id].name)
      case .pipeline: return .text(catalog.pipelineName(of: UInt16(id)))
      default: return .text(catalog.status(of: UInt16(id)).rawValue)
      }
    }
    var index: [Value: UInt32] = [:]
    var keys: [Value] = []
    let classOfStage = names.map { name -> UInt32 in
      if let known = index[name] { return known }
      index[name] = UInt32(keys.count)
      keys.append(name)
      return UInt32(keys.count - 1)
    }
    return (.stages(table.stage, lookup: classOfStage), keys, places(keys, field, table))
  }

  /// Each key's place in the group's order.
  private static func places(_ keys: [Value], _ field: Field, _ table: DealTable) -> [Int] {
    let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    var places = [Int](repeating: 0, count: keys.count)
    for (place, key) in Executor.orderGroups(keys, field, table).enumerated() { places[index[key]!] = place }
    return places
  }

  /// Text grouped as filters compare it: spellings that case-fold alike (`Event`,
  /// `event`) are one class, named by the spelling most deals have, and classes sort by
  /// their folded text (the dictionary's folded ranks), the empty one last.
  private static func textClasses(_ column: TextColumn) -> (Numbers, [Value], [Int]) {
    let (classOfCode, spelling) = Executor.foldedClasses(column)
    let strings = column.dictionary.strings
    let keys: [Value] = spelling.map { strings[$0].isEmpty ? .empty : .text(strings[$0]) }
    let emptyClass = classOfCode[0]
    let places = spelling.indices.map { $0 == emptyClass ? spelling.count : $0 }
    return (.codes(column.codes, lookup: classOfCode.map(UInt32.init)), keys, places)
  }

  /// Day numbers span a few thousand days: each day of the span is labelled once, then a
  /// row's group is an array read (0: no date).
  private static func periods(_ days: [Int32], _ period: Period.Unit) -> ([UInt32], [Value]) {
    var low = Int32.max
    var high = Int32.min
    for day in days where day != DealTable.emptyDay {
      low = min(low, day)
      high = max(high, day)
    }
    var keys: [Value] = [.empty]
    var indexOfLabel: [String: UInt32] = [:]
    var groupOfDay: [UInt32] = []
    guard low <= high else { return ([UInt32](repeating: 0, count: days.count), keys) }
    groupOfDay.reserveCapacity(Int(high - low) + 1)
    for number in low...high {
      let label = Period.label(period, holding: Day(number: number))
      if let index = indexOfLabel[label] {
        groupOfDay.append(index)
      } else {
        indexOfLabel[label] = UInt32(keys.count)
        groupOfDay.append(UInt32(keys.count))
        keys.append(.text(label))
      }
    }
    return (days.map { $0 == DealTable.emptyDay ? 0 : groupOfDay[Int($0 - low)] }, keys)
  }
}
