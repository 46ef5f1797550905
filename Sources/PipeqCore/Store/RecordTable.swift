/// The columns every record kind's table has — ids in ascending order, a dictionary-coded
/// text column per text field, a day-number column per date field, an integer column
/// per integer field — and what is done with them, written once for every kind. A kind
/// whose fields are of those kinds (a task, an interaction) is its declaration; a kind
/// with others (a deal's stage, value and tags) keeps those columns and handles them.
public protocol RecordTable: Sendable {
  associatedtype RecordFieldKind: RecordField
  init()
  /// Ascending and distinct: row order is id order.
  var ids: [Int64] { get set }
  /// One column per field of `RecordFieldKind.storedText`, at its `textSlot`.
  var texts: [TextColumn] { get set }
  /// One column per field of `RecordFieldKind.storedDates`, at its `dateSlot`.
  var dates: [[Int32]] { get set }
  /// One column per field of `RecordFieldKind.storedIntegers`, at its `integerSlot`.
  var integers: [[Int64]] { get set }
}

extension RecordTable {
  public typealias FieldKind = RecordFieldKind

  /// An empty date cell.
  public static var emptyDay: Int32 { .min }

  /// Empty text and date columns, one per declared field.
  static var emptyTexts: [TextColumn] { [TextColumn](repeating: TextColumn(), count: FieldKind.storedText.count) }
  static var emptyDates: [[Int32]] { [[Int32]](repeating: [], count: FieldKind.storedDates.count) }
  static var emptyIntegers: [[Int64]] { [[Int64]](repeating: [], count: FieldKind.storedIntegers.count) }

  /// An empty integer cell.
  public static var emptyInteger: Int64 { .min }

  public var count: Int { ids.count }

  public var nextID: Int64 { (ids.last ?? 0) + 1 }

  /// The row of an id (binary search over the sorted ids).
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
      precondition(low < ids.count && ids[low] == id, "record \(id) is not in the table")
      rows.append(low)
      low += 1
    }
    return rows
  }

  static func textPath(_ field: FieldKind) -> WritableKeyPath<Self, TextColumn>? {
    field.textSlot.map { \Self.texts[$0] }
  }

  static func datePath(_ field: FieldKind) -> WritableKeyPath<Self, [Int32]>? {
    field.dateSlot.map { \Self.dates[$0] }
  }

  // Row-by-row reads and writes go through the slot, not a key path: a key path into
  // the table copies it (a retain per column) on every call.

  /// The text of a text field in `row`, or nil for other fields.
  func text(_ field: FieldKind, at row: Int) -> String? { field.textSlot.map { texts[$0].string(at: row) } }

  /// The day number of a date field in `row`, or nil for other fields.
  func day(_ field: FieldKind, at row: Int) -> Int32? { field.dateSlot.map { dates[$0][row] } }

  /// A text field's column, for reads done once per statement.
  public func textColumn(_ field: FieldKind) -> TextColumn { texts[field.textSlot!] }

  /// A date field's column, for reads done once per statement.
  public func dateColumn(_ field: FieldKind) -> [Int32] { dates[field.dateSlot!] }

  /// Runs `body` on a text field's column in place.
  @discardableResult
  mutating func modifyText<R>(_ field: FieldKind, _ body: (inout TextColumn) -> R) -> R {
    guard let slot = field.textSlot else { preconditionFailure("\(field) is not a text field") }
    return body(&texts[slot])
  }

  /// Runs `body` on a date field's column in place.
  mutating func modifyDates(_ field: FieldKind, _ body: (inout [Int32]) -> Void) {
    guard let slot = field.dateSlot else { preconditionFailure("\(field) is not a date field") }
    body(&dates[slot])
  }

  /// Reorders (or drops) the shared columns: the new row i is the old row `order[i]`.
  mutating func permuteRecordColumns(_ order: [Int]) {
    func pick<T>(_ column: [T]) -> [T] { order.map { column[$0] } }
    ids = pick(ids)
    for slot in texts.indices { texts[slot].codes = pick(texts[slot].codes) }
    for slot in dates.indices { dates[slot] = pick(dates[slot]) }
    for slot in integers.indices { integers[slot] = pick(integers[slot]) }
  }

  /// Appends one row's shared columns, each field's value read from `value`; the
  /// caller appends its own columns and keeps id order.
  mutating func appendRecordRow(id: Int64, _ value: (FieldKind) -> Value) {
    ids.append(id)
    for (slot, field) in FieldKind.storedText.enumerated() { texts[slot].append(value(field).text) }
    for (slot, field) in FieldKind.storedDates.enumerated() {
      dates[slot].append(value(field).day?.number ?? Self.emptyDay)
    }
    for (slot, field) in FieldKind.storedIntegers.enumerated() {
      integers[slot].append(value(field).integer ?? Self.emptyInteger)
    }
  }

  /// The value of a text, date or integer field in `row`; nil for a field of another
  /// kind, which the kind's own table reads.
  func recordValue(_ field: FieldKind, at row: Int) -> Value? {
    if let slot = field.textSlot {
      let text = texts[slot].string(at: row)
      return text.isEmpty ? .empty : .text(text)
    }
    if let slot = field.dateSlot {
      let day = dates[slot][row]
      return day == Self.emptyDay ? .empty : .date(Day(number: day))
    }
    if let slot = field.integerSlot {
      let number = integers[slot][row]
      return number == Self.emptyInteger ? .empty : .integer(number)
    }
    return field == FieldKind.idField ? .integer(ids[row]) : nil
  }

  /// The shared columns of these rows (ascending) into `part`, its dictionaries holding
  /// only what they use: each distinct string is re-coded once, not once per row.
  func copyRecordColumns(_ rows: [Int], into part: inout Self) {
    part.ids = rows.map { ids[$0] }
    for slot in texts.indices {
      let source = texts[slot]
      var mapped = [UInt32](repeating: .max, count: source.dictionary.count)
      mapped[0] = 0
      part.texts[slot].codes.reserveCapacity(rows.count)
      for row in rows {
        let code = Int(source.codes[row])
        if mapped[code] == .max { mapped[code] = part.texts[slot].dictionary.intern(source.dictionary.strings[code]) }
        part.texts[slot].codes.append(mapped[code])
      }
    }
    for slot in dates.indices {
      let source = dates[slot]
      part.dates[slot] = rows.map { source[$0] }
    }
    for slot in integers.indices {
      let source = integers[slot]
      part.integers[slot] = rows.map { source[$0] }
    }
  }

  /// Appends the shared columns of `other` (its text merged dictionary to dictionary);
  /// the caller appends its own columns and restores id order.
  mutating func appendRecordColumns(of other: Self) {
    ids += other.ids
    for slot in texts.indices {
      let source = other.texts[slot]
      let mapped = texts[slot].dictionary.merge(source.dictionary)
      texts[slot].codes += source.codes.map { mapped[Int($0)] }
    }
    for slot in dates.indices { dates[slot] += other.dates[slot] }
    for slot in integers.indices { integers[slot] += other.integers[slot] }
  }

  /// The current values of a text, date or integer field for `rows`, read straight from
  /// its column; nil for a field of another kind.
  func capture(_ field: FieldKind, rows: [Int]) -> ValueColumn? {
    if let slot = field.textSlot { return ValueColumn(capturingText: texts[slot], rows: rows) }
    if let slot = field.dateSlot { return ValueColumn(capturingDays: dates[slot], rows: rows) }
    guard let slot = field.integerSlot else { return nil }
    let numbers = integers[slot]
    return ValueColumn(hashing: rows, { numbers[$0] }) { $0 == Self.emptyInteger ? .empty : .integer($0) }
  }

  /// Writes a text, date or integer field's `after` values into `rows`; false for a field of
  /// another kind, which the kind's own table writes. Each distinct value is resolved
  /// once (a text interned), then every row is a store.
  mutating func applyRecordColumn(_ change: RecordChanges<FieldKind>.FieldChange, rows: [Int]) -> Bool {
    let after = change.after
    let codes = after.codes.isEmpty ? [UInt32](repeating: 0, count: rows.count) : after.codes
    if let slot = change.field.textSlot {
      let mapped = after.values.map { texts[slot].dictionary.intern($0.text) }
      for (position, row) in rows.enumerated() { texts[slot].codes[row] = mapped[Int(codes[position])] }
      return true
    }
    if let slot = change.field.dateSlot {
      let mapped = after.values.map { $0.day?.number ?? Self.emptyDay }
      for (position, row) in rows.enumerated() { dates[slot][row] = mapped[Int(codes[position])] }
      return true
    }
    if let slot = change.field.integerSlot {
      let mapped = after.values.map { $0.integer ?? Self.emptyInteger }
      for (position, row) in rows.enumerated() { integers[slot][row] = mapped[Int(codes[position])] }
      return true
    }
    return false
  }
}
