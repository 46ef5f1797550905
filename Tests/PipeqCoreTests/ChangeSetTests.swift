import Foundation
import Testing

@testable import PipeqCore

/// Field changes stored by column: what they record, how they go to disk, and the
/// older one-edit-per-field journal format still being read.
@Suite struct ChangeSetTests {
  @Test func aBulkCloseIsOneChangeSetWithBeforeValuesPerDeal() throws {
    let database = Fixture.database()
    try Fixture.run("close lost reason 'stale' where stage != won and last_interaction > 90d", on: database)
    let mutation = try #require(try database.records().last?.mutations.first)
    #expect(mutation.changes.count == 1)
    let set = mutation.changes[0]
    #expect(set.ids == [2, 6])
    #expect(set.fields.map(\.field) == [.stage, .stageEntered, .closed, .lostReason])
    let stage = set.fields[0]
    #expect((0..<2).map { stage.before[$0] } == [.text("qualified"), .text("lead")])
    #expect((0..<2).map { stage.after[$0] } == [.text("lost"), .text("lost")])
    // One value for every deal: no code per deal is kept.
    #expect(set.fields[2].after.codes.isEmpty && set.fields[2].after.values == [.date(Fixture.today)])
    #expect(mutation.edits(of: 6).map(\.field) == [.stage, .stageEntered, .closed, .lostReason])
  }

  @Test func recordsCountDistinctDeals() {
    let table = Fixture.database().table
    var importing = Mutation(statement: "i", today: Fixture.today)
    importing.inserts = table.subset([0, 1, 2])
    #expect(JournalRecord(sequence: 1, time: 0, user: "u", kind: .importFile, mutations: [importing]).dealCount == 3)
    var both = importing
    var set = ChangeSet(fields: [.owner])
    set.append(id: 2, before: [.text("bob")], after: [.text("ann")])
    set.append(id: 9, before: [.text("bob")], after: [.text("ann")])
    both.changes = [set]
    // Deal 2 is inserted and changed: counted once.
    #expect(JournalRecord(sequence: 1, time: 0, user: "u", kind: .action, mutations: [both]).dealCount == 4)
    #expect(
      JournalRecord(sequence: 1, time: 0, user: "u", kind: .action, mutations: [importing, importing]).dealCount == 3)
  }

  @Test func capturingAColumnReadsWhatValueReads() {
    let table = Fixture.database().table
    let rows = [0, 2, 3, 4, 7]
    for field in Field.stored where field != .id && field != .pipeline {
      let column = ValueColumn(capturing: field, rows: rows, from: table)
      #expect(column.count == rows.count)
      for (index, row) in rows.enumerated() {
        let direct = table.value(field, at: row, today: Fixture.today)
        #expect(column[index] == direct || (column[index].isEmpty && direct.isEmpty), "\(field) row \(row)")
      }
    }
  }

  @Test func rowsOfAscendingIdsAreFoundByGalloping() {
    var table = DealTable()
    table.append(stride(from: Int64(3), to: 15_000, by: 3).map { Deal(id: $0) })
    var generator = SplitMix64(seed: 9)
    for density in [1, 2, 7, 50, 900] {
      let wanted = table.ids.filter { _ in generator.below(density) == 0 }
      #expect(table.rows(ofAscending: wanted) == wanted.map { table.row(of: $0)! }, "1 in \(density)")
    }
    #expect(table.rows(ofAscending: [table.ids.last!]) == [table.count - 1])
    #expect(table.rows(ofAscending: []) == [])
  }

  @Test func changeSetsRoundTripThroughTheJournalEncoding() throws {
    var set = ChangeSet(fields: [.stage, .value, .tags, .closed])
    set.append(
      id: 3, before: [.text("lead"), .money(100), .empty, .empty],
      after: [.text("won"), .money(100), .tags(["a", "b"]), .date(Day(number: 20_000))])
    set.append(
      id: 9, before: [.text("lead"), .empty, .tags(["x"]), .empty],
      after: [.text("won"), .money(-5), .empty, .date(Day(number: 20_000))])
    set.append(
      id: 12, before: [.text("proposal"), .money(7), .empty, .empty],
      after: [.text("won"), .money(7), .empty, .date(Day(number: 20_000))])
    var mutation = Mutation(statement: "s", today: Day(number: 20_000))
    mutation.changes = [set, ChangeSet(fields: [.owner])]
    var writer = ByteWriter()
    writer.mutation(mutation)
    var reader = ByteReader(writer.bytes)
    let decoded = try reader.mutation()
    #expect(decoded == mutation)
    #expect(reader.atEnd)
    #expect(decoded.changes[0].inverse.inverse == set)
    #expect(decoded.edits(of: 12).map(\.field) == [.stage, .closed])
  }

  @Test func decodingRefusesCodesThatPointPastTheValues() {
    func encoded(codes: [UInt32], ids: [Int64] = [1, 2]) -> [UInt8] {
      var writer = ByteWriter()
      writer.string("s")
      writer.u32(1)
      writer.u64(1)
      writer.array(ids)
      writer.u32(1)
      writer.string("owner")
      for _ in 0..<2 {
        writer.u64(2)
        writer.u64(2)
        writer.value(.text("a"))
        writer.value(.text("b"))
        writer.array(codes)
      }
      writer.u64(0)
      writer.u64(0)
      writer.u8(0)
      writer.u64(0)
      for _ in 0..<4 { writer.u64(0) }  // no stage events
      writer.u8(0)  // no import source
      writer.u8(0)  // no catalog before
      return writer.bytes
    }
    var good = ByteReader(encoded(codes: [0, 1]))
    #expect((try? good.mutation())?.changes.first?.ids == [1, 2])
    // Format 4 ends before the stage events and the import source.
    // Format 5 ends before the catalog a shaping change had before.
    var formatFive = ByteReader(Array(encoded(codes: [0, 1]).dropLast(1)))
    #expect((try? formatFive.mutation(version: 5))?.changes.first?.ids == [1, 2])
    var formatFour = ByteReader(Array(encoded(codes: [0, 1]).dropLast(34)))
    #expect((try? formatFour.mutation(version: 4))?.changes.first?.ids == [1, 2])
    var pastTheValues = ByteReader(encoded(codes: [0, 5]))
    #expect(throws: ByteReader.Malformed.self) { try pastTheValues.mutation() }
    var shortColumn = ByteReader(encoded(codes: [0]))
    #expect(throws: ByteReader.Malformed.self) { try shortColumn.mutation() }
    var idsOutOfOrder = ByteReader(encoded(codes: [0, 1], ids: [2, 1]))
    #expect(throws: ByteReader.Malformed.self) { try idsOutOfOrder.mutation() }
  }

  /// A store whose journal was written in format 1 (one record per edit) opens, replays,
  /// moves on to the current format, and its records can still be undone.
  @Test func aFormatOneJournalIsReadAndUndoable() throws {
    let path = SnapshotTests.temporaryPath()
    do {
      let database = try DurabilityTests.fixtureStore(path)
      try database.checkpoint()
    }
    var payload = ByteWriter()
    payload.u64(2)
    payload.i64(1_700_000_000)
    payload.string("ana")
    payload.u8(JournalRecord.Kind.action.rawValue)
    payload.array([UInt64]())
    payload.string("move to proposal where id = 2")
    payload.u64(1)
    payload.u64(1)
    payload.string("move to proposal where id = 2")
    payload.u32(UInt32(bitPattern: Fixture.today.number))
    payload.u64(2)
    payload.i64(2)
    payload.string("stage")
    payload.value(.text("qualified"))
    payload.value(.text("proposal"))
    payload.i64(2)
    payload.string("stage_entered")
    payload.value(.date(Day(iso: "2026-02-01")!))
    payload.value(.date(Fixture.today))
    payload.u64(0)
    payload.u64(0)
    payload.u8(0)
    payload.u64(0)
    var file = ByteWriter()
    file.bytes = JournalFormat.magic
    file.u32(1)
    file.u64(1)
    file.u32(CRC32C.checksum(file.bytes))
    file.u32(JournalFormat.recordMagic)
    file.u32(UInt32(payload.bytes.count))
    var crc = withUnsafeBytes(of: UInt32(payload.bytes.count).littleEndian) { CRC32C.checksum($0) }
    crc = payload.bytes.withUnsafeBytes { CRC32C.checksum($0, seed: crc) }
    file.u32(crc)
    file.bytes += payload.bytes
    try Data(file.bytes).write(to: URL(fileURLWithPath: path + ".journal"))

    let reopened = try Database.reopen(path)
    #expect(Fixture.ids(where: "stage = proposal", in: reopened) == [2, 5])
    #expect(try DurabilityTests.records(path).version == JournalFormat.version)
    try Fixture.run("undo", on: reopened)
    #expect(Fixture.ids(where: "stage = qualified", in: reopened) == [2])
    #expect(Fixture.ids(where: "stage_entered = 2026-02-01", in: reopened) == [2])
  }
}
