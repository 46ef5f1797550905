/// One field's values for a list of records, dictionary-coded: a bulk change has a
/// handful of distinct values (one stage, one date), so each record costs a small code,
/// and a single value shared by every record costs nothing per record.
public struct ValueColumn: Sendable, Equatable {
  /// The distinct values.
  public private(set) var values: [Value] = []
  /// Each record's index into `values`; empty while every record has `values[0]`.
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

  /// `count` records sharing one value.
  public init(repeating value: Value, count: Int) {
    self.init(values: [value], codes: [], count: count)
  }

  /// The values of a text column in `rows`, mapped code to code: no value is built or
  /// hashed per row.
  init(capturingText column: TextColumn, rows: [Int]) {
    self.init(remapping: rows, count: column.dictionary.strings.count, { Int(column.codes[$0]) }) { code in
      let text = column.dictionary.strings[code]
      return text.isEmpty ? .empty : .text(text)
    }
  }

  /// The values of a date column in `rows`.
  init(capturingDays days: [Int32], rows: [Int]) {
    self.init(hashing: rows, { days[$0] }) { $0 == Int32.min ? .empty : .date(Day(number: $0)) }
  }

  /// Values of `rows` read through a column's own small codes (dictionary code, stage
  /// id, tag set) below `count`, each code turned into a value once.
  init(remapping rows: [Int], count: Int, _ source: (Int) -> Int, _ value: (Int) -> Value) {
    var values: [Value] = []
    var codes: [UInt32] = []
    codes.reserveCapacity(rows.count)
    var mapped = [UInt32](repeating: .max, count: count)
    for row in rows {
      let key = source(row)
      if mapped[key] == .max {
        mapped[key] = UInt32(values.count)
        values.append(value(key))
      }
      codes.append(mapped[key])
    }
    self.init(values: values, codes: values.count <= 1 ? [] : codes, count: rows.count)
  }

  /// Values of `rows` read through a key of any size (cents, days), each distinct key
  /// turned into a value once.
  init<Key: Hashable>(hashing rows: [Int], _ source: (Int) -> Key, _ value: (Key) -> Value) {
    var values: [Value] = []
    var codes: [UInt32] = []
    codes.reserveCapacity(rows.count)
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
    self.init(values: values, codes: values.count <= 1 ? [] : codes, count: rows.count)
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
