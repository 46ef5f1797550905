/// The group of every row of a group-by as one array of small integers, several groups
/// packed into one (first group most significant), and the keys each number stands for.
/// Built column by column in tight loops; the aggregate then reads one array per row,
/// with no closure called (a closure per group per row was a third of `count by owner,
/// stage` in retains and releases).
struct GroupCodes {
  /// A row's group number.
  let rows: [UInt32]
  /// How many group numbers there are (some may be unused).
  let count: Int
  private let parts: [[Value]]
  private let strides: [Int]

  /// nil when a group is not coded (a derived number) or the combinations would be too many.
  init?(_ groups: [AggregatePlan.Group], _ table: DealTable) {
    var columns: [[UInt32]] = []
    var parts: [[Value]] = []
    for group in groups {
      guard let (column, keys) = GroupCodes.column(group.field, group.period, table) else { return nil }
      columns.append(column)
      parts.append(keys)
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
    var rows = columns.first ?? [UInt32](repeating: 0, count: table.count)
    for index in columns.indices.dropFirst() {
      let size = UInt32(sizes[index])
      let column = columns[index]
      rows.withUnsafeMutableBufferPointer { rows in
        column.withUnsafeBufferPointer { column in
          for row in rows.indices { rows[row] = rows[row] &* size &+ column[row] }
        }
      }
    }
    self.rows = rows
    self.count = total
    self.parts = parts
    self.strides = strides
  }

  /// The keys of group number `code`, one per group.
  func keys(_ code: Int) -> [Value] {
    parts.indices.map { parts[$0][(code / strides[$0]) % max(1, parts[$0].count)] }
  }

  /// One group's number per row and its keys: dictionary codes for text (the dictionary's
  /// own column, not copied), stage ids for stage, pipeline and status, calendar periods
  /// for a date grouped by week, month, quarter or year.
  private static func column(_ field: Field, _ period: Period.Unit?, _ table: DealTable) -> ([UInt32], [Value])? {
    if let period { return periods(table.dateColumn(field), period) }
    if let slot = field.textSlot {
      let column = table.texts[slot]
      return (column.codes, Executor.foldedKeys(column.dictionary.strings, column.codes))
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
    return (table.stage.map(UInt32.init), keys)
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
