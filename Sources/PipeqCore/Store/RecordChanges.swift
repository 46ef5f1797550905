/// The deals' change sets.
public typealias ChangeSet = RecordChanges<Field>

/// Field changes to many records of one kind, stored by column: the ids once, then for
/// each field the value every record had before and has after. A bulk action is one
/// change set, so a close of 100,000 deals is a few arrays of codes rather than 300,000
/// separate edits, and undo swaps `before` and `after`.
///
/// A field that did not change for one of the records holds the same value on both
/// sides; readers that list changes skip it.
public struct RecordChanges<F: RecordField>: Sendable, Equatable {
  /// Ascending and distinct.
  public private(set) var ids: [Int64] = []
  public private(set) var fields: [FieldChange]

  public struct FieldChange: Sendable, Equatable {
    public var field: F
    public var before: ValueColumn
    public var after: ValueColumn
  }

  public init(fields: [F]) {
    self.fields = fields.map { FieldChange(field: $0, before: ValueColumn(), after: ValueColumn()) }
  }

  init(ids: [Int64], fields: [FieldChange]) {
    self.ids = ids
    self.fields = fields
  }

  public var isEmpty: Bool { ids.isEmpty }

  /// Adds one record; `before` and `after` hold a value for each field, in order. Ids
  /// must come in ascending order.
  public mutating func append(id: Int64, before: [Value], after: [Value]) {
    precondition(ids.last.map { $0 < id } ?? true, "change set ids must ascend")
    ids.append(id)
    for index in fields.indices {
      fields[index].before.append(before[index])
      fields[index].after.append(after[index])
    }
  }

  /// The same records with `before` and `after` exchanged.
  public var inverse: RecordChanges {
    RecordChanges(ids: ids, fields: fields.map { FieldChange(field: $0.field, before: $0.after, after: $0.before) })
  }

  /// The fields that really change for the record at `index`, with their values.
  public func edits(at index: Int) -> [RecordEdit<F>] {
    fields.compactMap { change in
      let before = change.before[index]
      let after = change.after[index]
      if before == after || (before.isEmpty && after.isEmpty) { return nil }
      return RecordEdit(id: ids[index], field: change.field, before: before, after: after)
    }
  }

  /// The position of a record in `ids`.
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

/// One field of one record, as history and previews show it.
public struct RecordEdit<F: RecordField>: Sendable, Equatable {
  public var id: Int64
  public var field: F
  public var before: Value
  public var after: Value

  public init(id: Int64, field: F, before: Value, after: Value) {
    self.id = id
    self.field = field
    self.before = before
    self.after = after
  }
}
