import Foundation
import PipeqCore
import Testing

@Suite struct SnapshotTests {
  static func temporaryPath() -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeq-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("store.pipeq").path
  }

  @Test func encodeDecodeRoundTrip() throws {
    let table = Fixture.database().table
    #expect(try SnapshotFormat.decode(SnapshotFormat.encode(table)) == table)
    #expect(try SnapshotFormat.decode(SnapshotFormat.encode(DealTable())) == DealTable())
  }

  @Test func everyMutationIsOnDiskWhenCommitReturns() throws {
    let path = Self.temporaryPath()
    let expected: DealTable
    do {
      let database = try Database.reopen(path)
      #expect(FileManager.default.fileExists(atPath: path))
      let importer = CSVImporter(table: database.table, today: Fixture.today)
      let (mutation, _) = try importer.makeMutation(bytes: Array(Fixture.csv.utf8), fileName: "f", statement: "")
      try database.commit(mutation)
      try Fixture.run("close lost where id = 1", on: database)
      expected = database.table
    }
    let reopened = try Database.reopen(path)
    #expect(reopened.table == expected)
    for file in [path, path + ".journal"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: file)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
  }

  @Test func truncationIsAlwaysDetected() {
    let bytes = SnapshotFormat.encode(Fixture.database().table)
    for length in 0..<bytes.count {
      #expect(throws: SnapshotFormat.DecodeError.self) { try SnapshotFormat.decode(Array(bytes[0..<length])) }
    }
  }

  @Test func everySingleBitFlipIsDetected() {
    let bytes = SnapshotFormat.encode(Fixture.database().table)
    for offset in 0..<bytes.count {
      for bit in 0..<8 {
        var damaged = bytes
        damaged[offset] ^= UInt8(1 << bit)
        #expect(throws: SnapshotFormat.DecodeError.self) { try SnapshotFormat.decode(damaged) }
      }
    }
  }

  /// Checksums are computed for all blocks at once, but the first damage in the file is
  /// still the one reported: a length one off shows as its own block's checksum, not as
  /// the garbage the next header then reads as.
  @Test func theFirstDamagedBlockIsTheOneReported() {
    let bytes = SnapshotFormat.encode(Fixture.database().table)
    // Header 16 bytes, then the meta block (12 + 8 + 4): the pipelines block is at 40 and
    // its length at 44.
    // A flipped bit in that length, then one in its payload.
    for offset in [44, 60] {
      var damaged = bytes
      damaged[offset] ^= 1
      do {
        _ = try SnapshotFormat.decode(damaged)
        Issue.record("byte \(offset) damaged, yet decoded")
      } catch {
        guard case .damaged(_, let what) = error else { return #expect(Bool(false), "\(error)") }
        #expect(what == "checksum mismatch in block at offset 40", "byte \(offset)")
      }
    }
  }

  @Test func damagedStoreIsRefusedAndLeftUntouched() throws {
    let path = Self.temporaryPath()
    var bytes = SnapshotFormat.encode(Fixture.database().table)
    bytes[bytes.count / 2] ^= 0x10
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
      _ = try Database.reopen(path)
      Issue.record("a damaged store opened")
    } catch {
      #expect(error.diagnostic.message.contains("is damaged at byte"))
      #expect(error.diagnostic.message.contains("it was left untouched"))
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
  }

  @Test func newerFormatIsRefusedClearly() throws {
    var bytes = SnapshotFormat.encode(DealTable())
    bytes[8] = 9
    #expect(throws: SnapshotFormat.DecodeError.newerVersion(9)) { try SnapshotFormat.decode(bytes) }
    let path = Self.temporaryPath()
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
      _ = try Database.reopen(path)
      Issue.record("a store from a newer pipeq opened")
    } catch {
      #expect(
        error.diagnostic.message.contains(
          "was written by a newer pipeq (store format 9; this pipeq reads up to \(SnapshotFormat.version))"))
    }
  }

  @Test func notAStore() throws {
    let path = Self.temporaryPath()
    try "id,name\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try Database.reopen(path)
      Issue.record("a CSV opened as a store")
    } catch {
      #expect(error.diagnostic.message.contains("is not a pipeq store"))
    }
  }

  @Test func crc32cKnownValues() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
    let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    // Slicing-by-8 and the byte loop agree whatever the alignment.
    for start in 0..<9 {
      var byteByByte: UInt32 = 0
      for byte in long[start...] { byteByByte = [byte].withUnsafeBytes { CRC32C.checksum($0, seed: byteByByte) } }
      #expect(CRC32C.checksum(long[start...]) == byteByByte)
    }
    // The CPU instruction (where there is one) and the tables agree, every length and seed.
    #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.software($0) } == 0xE306_9283)
    for length in 0..<70 {
      for seed: UInt32 in [0, 1, 0xDEAD_BEEF] {
        let slice = long[3..<(3 + length)]
        let fast = slice.withUnsafeBytes { CRC32C.checksum($0, seed: seed) }
        #expect(fast == slice.withUnsafeBytes { CRC32C.software($0, seed: seed) }, "length \(length)")
      }
    }
  }

  /// The snapshot without the text block of `field` (block count left as it was): for
  /// writing the formats from before that column by hand.
  static func removingTextBlock(_ field: String, from bytes: [UInt8]) -> [UInt8] {
    var offset = 16
    while offset < bytes.count {
      let kind = bytes[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
      let length = Int(bytes[offset + 4..<offset + 12].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
      let end = offset + 12 + length + 4
      let name = Array(field.utf8)
      let nameAt = offset + 12 + 4
      if kind == 3, bytes.count >= nameAt + name.count, Array(bytes[nameAt..<nameAt + name.count]) == name {
        return Array(bytes[..<offset] + bytes[end...])
      }
      offset = end
    }
    return bytes
  }

  /// A store of format 2 (before external_id) opens with no external ids, and its
  /// eighth text block, were it there, would be damage.
  @Test func aFormat2SnapshotHasNoExternalIDs() throws {
    let table = Fixture.database().table
    var bytes = Self.removingTextBlock(
      "external_id", from: LegacyFormats.namesOnlyCatalog(in: SnapshotFormat.encode(table)))
    bytes[8] = 2
    bytes[12] -= 1
    let decoded = try SnapshotFormat.decode(bytes)
    #expect(decoded.count == table.count)
    #expect((0..<decoded.count).allSatisfy { decoded.value(.externalID, at: $0, today: Fixture.today) == .empty })
    var claimed = LegacyFormats.namesOnlyCatalog(in: SnapshotFormat.encode(table))
    claimed[8] = 2
    #expect(throws: SnapshotFormat.DecodeError.self) { try SnapshotFormat.decode(claimed) }
  }
}

/// The snapshot's column blocks come in the order the stored fields are declared; a
/// store written today must read tomorrow, so that order is pinned here, not by code.
@Suite struct SnapshotColumnOrderTests {
  @Test func theTextAndDateBlocksKeepTheirOrder() {
    #expect(
      SnapshotFormat.textFields.map(\.rawValue) == [
        "name", "account", "contact", "owner", "currency", "source", "lost_reason", "external_id",
      ])
    #expect(
      SnapshotFormat.dateFields.map(\.rawValue) == [
        "created", "stage_entered", "expected_close", "closed", "last_interaction",
      ])
  }
}

extension SnapshotColumnOrderTests {
  @Test func slotsFollowTheDeclaration() {
    #expect(Field.storedText.map(\.textSlot) == Array(0..<Field.storedText.count))
    #expect(Field.storedDates.map(\.dateSlot) == Array(0..<Field.storedDates.count))
    #expect(Field.allCases.filter { $0.textSlot != nil }.count == Field.storedText.count)
    #expect(Field.allCases.filter { $0.dateSlot != nil }.count == Field.storedDates.count)
    #expect(Field.slotsFollowTheDeclaration)
  }
}
