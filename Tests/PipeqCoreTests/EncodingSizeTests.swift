import Testing

@testable import PipeqCore

/// Snapshots and journal records are measured before they are written, so the bytes
/// are reserved once: the measure must be exactly what is then written.
@Suite struct EncodingSizeTests {
  @Test func aSnapshotIsMeasuredExactly() throws {
    let database = Fixture.database()
    try Fixture.run("tag x, \"ü y\" where id <= 3", on: database)
    try Fixture.run("close lost where id = 2", on: database)
    try Fixture.run("define late as expected_close < 2026-01-01", on: database)
    for table in [database.table, DealTable()] {
      let measured = ByteWriter.measure { SnapshotFormat.encode(table, sequence: 7, into: &$0) }
      #expect(measured == SnapshotFormat.encode(table, sequence: 7).count)
    }
  }

  @Test func everyJournalRecordIsMeasuredExactly() throws {
    let database = Fixture.database()
    for statement in [
      "set owner = \"Zoë\" where id <= 4", "close won where id = 5", "delete where id = 6", "undo",
      "move to qualified where id = 3",
    ] {
      try Fixture.run(statement, on: database)
    }
    let csv = "name,stage,pipeline,tags\nnew one,first,renewals,\"a; b\"\n"
    let (importing, _) = try CSVImporter(table: database.table, today: Fixture.today).makeMutation(
      bytes: Array(csv.utf8), fileName: "x.csv", statement: ".import x.csv")
    try database.commit(importing, kind: .importFile)
    let records = try database.records()
    #expect(records.count == 7)  // the fixture's own import, five statements, this import
    for record in records {
      let measured = ByteWriter.measure { JournalFormat.write(record, into: &$0) }
      #expect(measured == JournalFormat.frame(record).count, "record \(record.sequence): \(record.statement)")
    }
  }
}

/// A big list of strings (a column of distinct names) is packed and checked on both
/// cores: the same strings in the same order, and a bad one reported where it starts.
@Suite struct StringListReadingTests {
  static let names = (0..<70_000).map { "Déal \($0) — \(String(repeating: "x", count: $0 % 13))" }

  @Test func aBigListReadsBackInOrder() throws {
    var writer = ByteWriter()
    writer.strings(Self.names)
    writer.u32(7)
    var reader = ByteReader(writer.bytes)
    #expect(try reader.strings("names") == Self.names)
    #expect(try reader.u32("after") == 7)
    var packed = ByteReader(writer.bytes)
    #expect(Array(try packed.packedStrings("names")) == Self.names)
    #expect(try packed.u32("after") == 7)
  }

  @Test func aBadStringIsReportedWhereItStarts() {
    var writer = ByteWriter()
    writer.strings(Self.names)
    // The 50,000th string (in the second half): its first byte made invalid UTF-8.
    var start = 8
    for name in Self.names.prefix(50_000) { start += 4 + name.utf8.count }
    start += 4
    var damaged = writer.bytes
    damaged[start] = 0xFF
    var reader = ByteReader(damaged)
    do {
      _ = try reader.strings("names")
      Issue.record("a bad string was read")
    } catch {
      #expect(error.offset == start && error.what == "names")
    }
    var packed = ByteReader(damaged)
    do {
      _ = try packed.packedStrings("names")
      Issue.record("a bad string was packed")
    } catch {
      #expect(error.offset == start && error.what == "names")
    }
  }
}
