import Testing

@testable import PipeqCore

/// A record kind declared here the way interactions will be (a deal they belong to,
/// text, a day): the declaration alone gives it a table, change sets and their coding.
enum InteractionField: String, RecordField {
  case id, deal, kind, summary, by, day
  /// Derived: days since `day`.
  case age

  static let stored: [InteractionField] = [.id, .deal, .kind, .summary, .by, .day]
  static let storedText: [InteractionField] = [.kind, .summary, .by]
  static let storedDates: [InteractionField] = [.day]
  static let storedIntegers: [InteractionField] = [.deal]
  static let idField = InteractionField.id

  var textSlot: Int? { InteractionField.storedText.firstIndex(of: self) }
  var dateSlot: Int? { InteractionField.storedDates.firstIndex(of: self) }
  var integerSlot: Int? { InteractionField.storedIntegers.firstIndex(of: self) }
}

struct InteractionTable: RecordTable {
  typealias RecordFieldKind = InteractionField
  var ids: [Int64] = []
  var texts = InteractionTable.emptyTexts
  var dates = InteractionTable.emptyDates
  var integers = InteractionTable.emptyIntegers
}

/// A kind whose slots disagree with its lists: what the declaration check catches.
enum MisdeclaredField: String, RecordField {
  case id, note, other
  static let stored: [MisdeclaredField] = [.id, .note, .other]
  static let storedText: [MisdeclaredField] = [.note]
  static let storedDates: [MisdeclaredField] = []
  static let idField = MisdeclaredField.id
  var textSlot: Int? { self == .id ? nil : 0 }
  var dateSlot: Int? { nil }
}

@Suite struct RecordKindTests {
  static let day = Day(year: 2026, month: 6, day: 1)!

  static func table() -> InteractionTable {
    var table = InteractionTable()
    let rows: [(Int64, Int64, String, String, String, Day?)] = [
      (1, 7, "call", "Pricing questions", "ana", day),
      (2, 7, "email", "Sent the proposal", "ana", day.adding(days: 2)),
      (3, 9, "call", "", "bo", nil),
    ]
    for (id, deal, kind, summary, by, day) in rows {
      let values: [InteractionField: Value] = [
        .deal: .integer(deal), .kind: .text(kind), .summary: summary.isEmpty ? .empty : .text(summary),
        .by: .text(by), .day: day.map(Value.date) ?? .empty,
      ]
      table.appendRecordRow(id: id) { values[$0] ?? .empty }
    }
    return table
  }

  @Test func aKindIsCheckedAgainstItsOwnDeclaration() {
    #expect(InteractionField.slotsFollowTheDeclaration)
    #expect(!MisdeclaredField.slotsFollowTheDeclaration)
    #expect(InteractionField.age.isDerived && !InteractionField.age.isChangeable)
    #expect(!InteractionField.id.isChangeable && InteractionField.deal.isChangeable)
  }

  @Test func rowsAreReadByTheirFieldsKinds() {
    let table = Self.table()
    #expect(table.count == 3 && table.nextID == 4 && table.row(of: 2) == 1)
    #expect(table.recordValue(.deal, at: 0) == .integer(7))
    #expect(table.recordValue(.summary, at: 1) == .text("Sent the proposal"))
    #expect(table.recordValue(.summary, at: 2) == .empty)
    #expect(table.recordValue(.day, at: 1) == .date(Self.day.adding(days: 2)))
    #expect(table.recordValue(.day, at: 2) == .empty)
    #expect(table.recordValue(.id, at: 2) == .integer(3))
    #expect(table.recordValue(.age, at: 0) == nil)
  }

  /// A change captured from the table, applied, and taken back by its inverse.
  @Test func aChangeSetAppliesAndItsInverseTakesItBack() throws {
    let original = Self.table()
    var table = original
    let rows = [0, 2]
    var changes = RecordChanges<InteractionField>(
      ids: rows.map { table.ids[$0] },
      fields: [InteractionField.kind, .deal, .day].map { field in
        RecordChanges.FieldChange(
          field: field, before: try! #require(table.capture(field, rows: rows)),
          after: ValueColumn(
            repeating: field == .kind ? .text("meeting") : field == .deal ? .integer(12) : .date(Self.day),
            count: rows.count))
      })
    for change in changes.fields {
      let applied = table.applyRecordColumn(change, rows: rows)
      #expect(applied)
    }
    #expect(table.recordValue(.kind, at: 0) == .text("meeting") && table.recordValue(.kind, at: 1) == .text("email"))
    #expect(table.recordValue(.deal, at: 2) == .integer(12) && table.recordValue(.day, at: 2) == .date(Self.day))
    #expect(changes.edits(at: 1).map(\.field) == [.kind, .deal, .day])
    // Row 0 already had that day: the edit list skips it.
    #expect(changes.edits(at: 0).map(\.field) == [.kind, .deal])
    changes = changes.inverse
    for change in changes.fields {
      let applied = table.applyRecordColumn(change, rows: rows)
      #expect(applied)
    }
    #expect(
      (0..<3).allSatisfy { row in
        InteractionField.stored.allSatisfy { table.recordValue($0, at: row) == original.recordValue($0, at: row) }
      })
  }

  @Test func changeSetsAndRecordsGoToDiskAndBack() throws {
    let table = Self.table()
    let changes = RecordChanges<InteractionField>(
      ids: [1, 3],
      fields: [
        .init(
          field: .summary, before: try #require(table.capture(.summary, rows: [0, 2])),
          after: ValueColumn(repeating: .text("Follow up"), count: 2))
      ])
    var writer = ByteWriter()
    writer.changeSets([changes])
    writer.records(table)
    var reader = ByteReader(writer.bytes)
    #expect(try reader.changeSets(of: InteractionField.self) == [changes])
    let read = try reader.records(as: InteractionTable.self)
    #expect(reader.atEnd)
    #expect(read.ids == table.ids && read.texts == table.texts && read.dates == table.dates)
    #expect(read.integers == table.integers)
  }

  /// A journal's change set naming a field the kind does not keep is damage, not a
  /// silent skip: a deal's `stage`, the derived `age`, the id.
  @Test func aChangeToAFieldTheKindDoesNotKeepIsDamage() {
    for name in ["stage", "age", "id"] {
      var writer = ByteWriter()
      writer.u64(1)
      writer.array([Int64(1)])
      writer.u32(1)
      writer.string(name)
      writer.column(ValueColumn(repeating: .empty, count: 1))
      writer.column(ValueColumn(repeating: .text("x"), count: 1))
      let bytes = writer.bytes
      #expect(throws: ByteReader.Malformed.self, "\(name)") {
        var reader = ByteReader(bytes)
        _ = try reader.changeSets(of: InteractionField.self)
      }
    }
  }

  /// Rows moved between tables keep their values: a subset, appended to an empty table.
  @Test func rowsMoveBetweenTablesColumnByColumn() {
    let table = Self.table()
    var part = InteractionTable()
    table.copyRecordColumns([1, 2], into: &part)
    var whole = InteractionTable()
    var first = InteractionTable()
    table.copyRecordColumns([0], into: &first)
    whole.appendRecordColumns(of: first)
    whole.appendRecordColumns(of: part)
    #expect(whole.ids == table.ids && whole.integers == table.integers && whole.dates == table.dates)
    #expect((0..<3).allSatisfy { whole.recordValue(.summary, at: $0) == table.recordValue(.summary, at: $0) })
    whole.permuteRecordColumns([2, 0])
    #expect(whole.ids == [3, 1] && whole.recordValue(.by, at: 0) == .text("bo"))
  }
}
