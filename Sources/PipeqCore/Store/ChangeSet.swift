/// Field changes to many deals, stored by column: the deal ids once, then for each
/// field the value every deal had before and has after. A bulk action is one change
/// set, so a close of 100,000 deals is a few arrays of codes rather than 300,000
/// separate edits, and undo swaps `before` and `after`.
///
/// A field that did not change for one of the deals holds the same value on both
/// sides; readers that list changes skip it.
public struct ChangeSet: Sendable, Equatable {
  /// Ascending and distinct.
  public private(set) var ids: [Int64] = []
  public private(set) var fields: [FieldChange]

  public struct FieldChange: Sendable, Equatable {
    public var field: Field
    public var before: ValueColumn
    public var after: ValueColumn
  }

  public init(fields: [Field]) {
    self.fields = fields.map { FieldChange(field: $0, before: ValueColumn(), after: ValueColumn()) }
  }

  init(ids: [Int64], fields: [FieldChange]) {
    self.ids = ids
    self.fields = fields
  }

  public var isEmpty: Bool { ids.isEmpty }

  /// Adds one deal; `before` and `after` hold a value for each field, in order. Ids
  /// must come in ascending order.
  public mutating func append(id: Int64, before: [Value], after: [Value]) {
    precondition(ids.last.map { $0 < id } ?? true, "change set ids must ascend")
    ids.append(id)
    for index in fields.indices {
      fields[index].before.append(before[index])
      fields[index].after.append(after[index])
    }
  }

  /// The same deals with `before` and `after` exchanged.
  public var inverse: ChangeSet {
    ChangeSet(ids: ids, fields: fields.map { FieldChange(field: $0.field, before: $0.after, after: $0.before) })
  }

  /// The fields that really change for the deal at `index`, with their values.
  public func edits(at index: Int) -> [Mutation.Edit] {
    fields.compactMap { change in
      let before = change.before[index]
      let after = change.after[index]
      if before == after || (before.isEmpty && after.isEmpty) { return nil }
      return Mutation.Edit(id: ids[index], field: change.field, before: before, after: after)
    }
  }

  /// The position of a deal in `ids`.
  public func index(of id: Int64) -> Int? {
    var low = 0
    var high = ids.count
    while low < high {
      let mid = (low + high) / 2
      if ids[mid] < id { low = mid + 1 } else { high = mid }
    }
    return low < ids.count && ids[low] == id ? low : nil
  }
}

/// One field's values for a list of deals, dictionary-coded: a bulk change has a
/// handful of distinct values (one stage, one date), so each deal costs a small code,
/// and a single value shared by every deal costs nothing per deal.
public struct ValueColumn: Sendable, Equatable {
  /// The distinct values.
  public private(set) var values: [Value] = []
  /// Each deal's index into `values`; empty while every deal has `values[0]`.
  public private(set) var codes: [UInt32] = []
  public private(set) var count = 0
  private var index: [Value: UInt32] = [:]
  private var lastCode: UInt32?

  public init() {}

  init(values: [Value], codes: [UInt32], count: Int) {
    self.values = values
    self.codes = codes
    self.count = count
    for (code, value) in values.enumerated() { index[value] = UInt32(code) }
  }

  /// `count` deals sharing one value.
  public init(repeating value: Value, count: Int) {
    self.init(values: [value], codes: [], count: count)
  }

  /// The current values of `field` for `rows`, read straight from the table's column:
  /// codes are mapped code to code, so no value is built or hashed per deal.
  public init(capturing field: Field, rows: [Int], from table: DealTable) {
    var values: [Value] = []
    var codes: [UInt32] = []
    codes.reserveCapacity(rows.count)
    /// Maps a column's own code (dictionary code, stage id, day) to a code here.
    func remap(_ size: Int, _ source: (Int) -> Int, _ value: (Int) -> Value) {
      var mapped = [UInt32](repeating: .max, count: size)
      for row in rows {
        let key = source(row)
        if mapped[key] == .max {
          mapped[key] = UInt32(values.count)
          values.append(value(key))
        }
        codes.append(mapped[key])
      }
    }
    func hashed<Key: Hashable>(_ source: (Int) -> Key, _ value: (Key) -> Value) {
      var mapped: [Key: UInt32] = [:]
      for row in rows {
        let key = source(row)
        if let code = mapped[key] {
          codes.append(code)
        } else {
          mapped[key] = UInt32(values.count)
          codes.append(UInt32(values.count))
          values.append(value(key))
        }
      }
    }
    switch field.kind {
    case .text:
      let column = table.textColumn(field)
      remap(column.dictionary.strings.count, { Int(column.codes[$0]) }) { code in
        let text = column.dictionary.strings[code]
        return text.isEmpty ? .empty : .text(text)
      }
    case .stage:
      let stages = table.stage
      remap(table.pipelines.stages.count, { Int(stages[$0]) }) { .text(table.pipelines.stages[$0].name) }
    case .tags:
      let tags = table.tags
      remap(tags.sets.count, { Int(tags.codes[$0]) }) { code in
        tags.sets[code].isEmpty ? .empty : .tags(tags.sets[code].map { tags.names[$0] })
      }
    case .money:
      let money = table.value
      hashed({ money[$0] }) { $0 == DealTable.emptyMoney ? .empty : .money($0) }
    case .date:
      let days = table.dateColumn(field)
      hashed({ days[$0] }) { $0 == DealTable.emptyDay ? .empty : .date(Day(number: $0)) }
    default:
      preconditionFailure("\(field) is not a stored field")
    }
    if values.count <= 1 { codes = [] }
    self.init(values: values, codes: codes, count: rows.count)
  }

  public subscript(position: Int) -> Value { values[Int(code(at: position))] }

  public func code(at position: Int) -> UInt32 { codes.isEmpty ? 0 : codes[position] }

  public mutating func append(_ value: Value) {
    let code: UInt32
    // Runs of one value (every `after` of a bulk action) skip the hash lookup.
    if let last = lastCode, values[Int(last)] == value {
      code = last
    } else if values.count <= 8, let found = values.firstIndex(of: value) {
      // A few distinct values (stages, reasons): comparing beats hashing.
      code = UInt32(found)
    } else if values.count > 8, let known = index[value] {
      code = known
    } else {
      code = UInt32(values.count)
      values.append(value)
      index[value] = code
    }
    lastCode = code
    if codes.isEmpty && code != 0 { codes = [UInt32](repeating: 0, count: count) }
    if !codes.isEmpty || code != 0 { codes.append(code) }
    count += 1
  }

  public static func == (lhs: ValueColumn, rhs: ValueColumn) -> Bool {
    lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
  }
}

extension DealTable {
  /// Writes a change set's `after` values. Each distinct value is resolved once (a
  /// text interned, a stage looked up in each pipeline), then every deal is a store.
  mutating func apply(_ changes: ChangeSet) {
    guard !changes.isEmpty else { return }
    apply(changes, rows: rows(ofAscending: changes.ids))
  }

  /// Applies a change set whose deals are in `rows` (found once by the caller).
  mutating func apply(_ changes: ChangeSet, rows: [Int]) {
    guard !changes.isEmpty else { return }
    for change in changes.fields {
      let after = change.after
      let codes = after.codes.isEmpty ? [UInt32](repeating: 0, count: rows.count) : after.codes
      if DealTable.textPath(change.field) != nil {
        modifyText(change.field) { column in
          let mapped = after.values.map { column.dictionary.intern($0.text) }
          for (position, row) in rows.enumerated() { column.codes[row] = mapped[Int(codes[position])] }
        }
      } else if DealTable.datePath(change.field) != nil {
        let mapped = after.values.map { $0.day?.number ?? DealTable.emptyDay }
        modifyDates(change.field) { column in
          for (position, row) in rows.enumerated() { column[row] = mapped[Int(codes[position])] }
        }
      } else if change.field == .value {
        let mapped = after.values.map { value -> Int64 in
          if case .money(let cents) = value { return cents }
          return DealTable.emptyMoney
        }
        for (position, row) in rows.enumerated() { value[row] = mapped[Int(codes[position])] }
      } else if change.field == .tags {
        let mapped = after.values.map { value -> UInt32 in
          if case .tags(let list) = value { return tags.code(for: list) }
          return 0
        }
        for (position, row) in rows.enumerated() { tags.codes[row] = mapped[Int(codes[position])] }
      } else if change.field == .stage {
        // A stage is named within the deal's own pipeline: resolve each (value,
        // pipeline) pair once.
        let pipelineCount = pipelines.pipelines.count
        var resolved = [Int32](repeating: -1, count: after.values.count * pipelineCount)
        for (position, row) in rows.enumerated() {
          let code = Int(codes[position])
          let pipeline = pipelines.stages[Int(stage[row])].pipeline
          let slot = code * pipelineCount + Int(pipeline)
          if resolved[slot] < 0 {
            resolved[slot] = Int32(pipelines.stage(named: after.values[code].text, in: pipeline)!)
          }
          stage[row] = UInt16(resolved[slot])
        }
      } else {
        preconditionFailure("\(change.field) is not writable")
      }
    }
  }

  /// The rows of ascending ids, found by galloping forward from the previous one.
  func rows(ofAscending wanted: [Int64]) -> [Int] {
    var rows: [Int] = []
    rows.reserveCapacity(wanted.count)
    var low = 0
    for id in wanted {
      var step = 1
      var high = low
      while high < ids.count && ids[high] < id {
        low = high + 1
        high += step
        step <<= 1
      }
      high = Swift.min(high, ids.count)
      while low < high {
        let mid = (low + high) / 2
        if ids[mid] < id { low = mid + 1 } else { high = mid }
      }
      precondition(low < ids.count && ids[low] == id, "deal \(id) is not in the table")
      rows.append(low)
      low += 1
    }
    return rows
  }
}
