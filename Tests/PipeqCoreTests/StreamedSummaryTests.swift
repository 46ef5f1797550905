import Foundation
import Testing

@testable import PipeqCore

/// The history's summaries of a big archived journal segment are read a chunk at a time,
/// every record's checksum still verified over all of its bytes; anything out of the
/// ordinary is left to the whole-file read, which says what is wrong.
@Suite struct StreamedSummaryTests {
  /// An archived segment holding a big import, a close and an undo.
  static func archivedSegment() throws -> (bytes: [UInt8], folder: String) {
    let folder = NSTemporaryDirectory() + "pipeq-streamed-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/store.pipeq"
    let today = Day(iso: "2026-06-15")!
    let database = try Database.reopen(path)
    let csv = PipelineGenerator(seed: 5, today: today, distinctNames: true).csv(count: 40_000)
    let (mutation, _) = try CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "big.csv", statement: ".import big.csv")
    try database.commit(mutation)
    try Fixture.run("close lost where stage = lead", on: database)
    try Fixture.run("undo", on: database)
    _ = try database.checkpoint()
    database.close()
    let segments = try FileManager.default.contentsOfDirectory(atPath: path + ".history").filter {
      $0.hasSuffix(".journal")
    }
    #expect(segments.count == 1)
    return (Array(try Data(contentsOf: URL(fileURLWithPath: path + ".history/" + segments[0]))), folder)
  }

  static func streamed(_ bytes: [UInt8], largest: inout Int) -> JournalFormat.Contents? {
    var biggest = 0
    let contents = JournalFormat.streamedSummaries(size: bytes.count) { (range: Range<Int>) -> [UInt8] in
      biggest = max(biggest, range.count)
      return Array(bytes[range])
    }
    largest = biggest
    return contents
  }

  @Test func streamedSummariesAreTheWholeReadsAChunkAtATime() throws {
    let (bytes, folder) = try Self.archivedSegment()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(bytes.count > 4 * JournalFormat.streamChunk)
    var largest = 0
    let streamed = try #require(Self.streamed(bytes, largest: &largest))
    let whole = try JournalFormat.read(bytes, summariesOnly: true)
    #expect(largest <= JournalFormat.streamChunk)
    #expect(streamed.records.count == 3)
    #expect(streamed.baseSequence == whole.baseSequence)
    #expect(streamed.validEnd == bytes.count)
    for (a, b) in zip(streamed.records, whole.records) {
      #expect(
        [a.sequence, UInt64(a.dealCount), UInt64(bitPattern: a.time)]
          == [b.sequence, UInt64(b.dealCount), UInt64(bitPattern: b.time)])
      #expect(a.statement == b.statement && a.user == b.user && a.kind == b.kind && a.targets == b.targets)
    }
  }

  @Test func aDamagedByteDeepInABigRecordIsLeftToTheWholeRead() throws {
    let (original, folder) = try Self.archivedSegment()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var bytes = original
    // Well past the first chunk of the import's record: only a checksum over every byte finds it.
    bytes[3 * JournalFormat.streamChunk] ^= 0x40
    var largest = 0
    #expect(Self.streamed(bytes, largest: &largest) == nil)
    #expect(throws: JournalFormat.ReadError.self) { try JournalFormat.read(bytes, summariesOnly: true) }
    // A cut-short file, too.
    #expect(Self.streamed(Array(original.dropLast(5)), largest: &largest) == nil)
  }

  @Test func aReopenedStoreReadsTheHistoryOfABigArchivedSegment() throws {
    let (_, folder) = try Self.archivedSegment()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let database = try Database.reopen(folder + "/store.pipeq")
    defer { database.close() }
    let summaries = try database.recordSummaries()
    #expect(summaries.map(\.statement) == [".import big.csv", "close lost where stage = lead", "undo"])
    #expect(try Fixture.table("history", in: database).rows.count == 3)
  }
}
