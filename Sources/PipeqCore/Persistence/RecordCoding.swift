/// The coding every record kind shares, written against its field declaration: its
/// change sets in a journal record, and its text and date columns in the snapshot (and
/// in a record's inserted or deleted rows, which are kept in the snapshot's layout).
extension ByteWriter {
  /// Per change set: the ids, then each field by name with its before and after values.
  mutating func changeSets<F: RecordField>(_ sets: [RecordChanges<F>]) {
    u64(UInt64(sets.count))
    for set in sets {
      array(set.ids)
      u32(UInt32(set.fields.count))
      for change in set.fields {
        string(change.field.rawValue)
        column(change.before)
        column(change.after)
      }
    }
  }

  /// A text column: the field's name (so the reader checks the order), the dictionary,
  /// the codes.
  mutating func textColumn<F: RecordField>(_ field: F, _ column: TextColumn) {
    string(field.rawValue)
    strings(column.dictionary.strings)
    array(column.codes)
  }

  /// A date column: the field's name, then a day number per row.
  mutating func dateColumn<F: RecordField>(_ field: F, _ days: [Int32]) {
    string(field.rawValue)
    array(days)
  }

  /// Whole records of a kind whose fields are all of the shared kinds (its inserts and
  /// deletes in a journal record): the ids, then every column in declared order.
  mutating func records<T: RecordTable>(_ table: T) {
    array(table.ids)
    for field in T.FieldKind.storedText { textColumn(field, table.textColumn(field)) }
    for field in T.FieldKind.storedDates { dateColumn(field, table.dateColumn(field)) }
    for (slot, field) in T.FieldKind.storedIntegers.enumerated() {
      string(field.rawValue)
      array(table.integers[slot])
    }
  }
}

extension ByteReader {
  /// Change sets of one record kind; a field the kind does not declare as changeable,
  /// ids out of order or a column of the wrong length are damage.
  mutating func changeSets<F: RecordField>(of kind: F.Type) throws(Malformed) -> [RecordChanges<F>] {
    let count = try u64("change set count")
    guard count <= UInt64(end - offset) / 12 else { throw Malformed(offset: offset, what: "change set count") }
    var sets: [RecordChanges<F>] = []
    for _ in 0..<count {
      let start = offset
      let ids = try array(Int64.self, "ids")
      guard zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else { throw Malformed(offset: start, what: "ids") }
      let fieldCount = try u32("field count")
      guard fieldCount <= F.stored.count else { throw Malformed(offset: offset - 4, what: "field count") }
      var fields: [RecordChanges<F>.FieldChange] = []
      for _ in 0..<fieldCount {
        let name = try string("field")
        guard let field = F(rawValue: name), field.isChangeable else { throw Malformed(offset: offset, what: "field") }
        let before = try column(count: ids.count)
        let after = try column(count: ids.count)
        fields.append(.init(field: field, before: before, after: after))
      }
      sets.append(RecordChanges(ids: ids, fields: fields))
    }
    return sets
  }

  /// The text column of `field`, refused when the column written here is another's.
  mutating func textColumn<F: RecordField>(of field: F) throws(Malformed) -> TextColumn {
    let start = offset
    guard try string("field") == field.rawValue else { throw Malformed(offset: start, what: "text column order") }
    return try textColumn()
  }

  /// Records written by `ByteWriter.records`: ids ascending, every column in declared
  /// order and one value per row.
  mutating func records<T: RecordTable>(as kind: T.Type) throws(Malformed) -> T {
    let start = offset
    var table = T()
    table.ids = try array(Int64.self, "ids")
    guard zip(table.ids, table.ids.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw Malformed(offset: start, what: "ids")
    }
    for (slot, field) in T.FieldKind.storedText.enumerated() { table.texts[slot] = try textColumn(of: field) }
    for (slot, field) in T.FieldKind.storedDates.enumerated() { table.dates[slot] = try dateColumn(of: field) }
    for (slot, field) in T.FieldKind.storedIntegers.enumerated() {
      let at = offset
      guard try string("field") == field.rawValue else { throw Malformed(offset: at, what: "integer column order") }
      table.integers[slot] = try array(Int64.self, "integers")
    }
    let lengths = table.texts.map(\.codes.count) + table.dates.map(\.count) + table.integers.map(\.count)
    guard lengths.allSatisfy({ $0 == table.ids.count }) else {
      throw Malformed(offset: start, what: "columns do not line up")
    }
    return table
  }

  /// The date column of `field`, refused when the column written here is another's.
  mutating func dateColumn<F: RecordField>(of field: F) throws(Malformed) -> [Int32] {
    let start = offset
    guard try string("field") == field.rawValue else { throw Malformed(offset: start, what: "date column order") }
    return try array(Int32.self, "dates")
  }
}
