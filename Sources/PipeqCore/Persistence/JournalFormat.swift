/// The journal file: a header, then framed records appended one per statement.
///
///     header  "PIPEQJNL" · u32 version · u64 base sequence · u32 CRC-32C of the 20 bytes before
///     record  u32 magic "PQJR" · u32 payload length · u32 CRC-32C of length and payload · payload
///
/// See FORMAT.md. Reading tells a torn tail (the last append did not finish: its frame
/// runs past the end of the file) from damage (a complete record that fails its checksum,
/// or a bad record with valid records after it).
public enum JournalFormat {
  public static let magic: [UInt8] = Array("PIPEQJNL".utf8)
  /// 2: field changes by column (`ChangeSet`); 1: one edit per deal and field, still read.
  /// 3: deal tables inside records are snapshot format 2 (with a stage history block).
  /// 4: deal tables inside records are snapshot format 3 (with external_id).
  /// 5: an import's own stage events and source. 6: catalogs with stage kinds (snapshot
  /// format 4, also for the deal tables inside records), and the catalog before a change
  /// that shapes the pipelines.
  public static let version: UInt32 = 6
  public static let headerSize = 24
  static let recordMagic: UInt32 = 0x524A_5150  // "PQJR" little-endian
  static let frameSize = 12

  public static func header(baseSequence: UInt64) -> [UInt8] {
    var writer = ByteWriter()
    writer.bytes = magic
    writer.u32(version)
    writer.u64(baseSequence)
    writer.u32(CRC32C.checksum(writer.bytes))
    return writer.bytes
  }

  public static func frame(_ record: JournalRecord) -> [UInt8] {
    // The payload is written in place after the frame's header, which is filled in last.
    var out = ByteWriter()
    out.bytes.reserveCapacity(ByteWriter.measure { write(record, into: &$0) })
    write(record, into: &out)
    let length = UInt32(out.count - frameSize)
    out.patch(u32: length, at: 4)
    var crc = withUnsafeBytes(of: length.littleEndian) { CRC32C.checksum($0) }
    crc = out.bytes[frameSize...].withUnsafeBytes { CRC32C.checksum($0, seed: crc) }
    out.patch(u32: crc, at: 8)
    return out.bytes
  }

  /// The frame with its length and checksum still zero.
  static func write(_ record: JournalRecord, into out: inout ByteWriter) {
    out.u32(recordMagic)
    out.u32(0)
    out.u32(0)
    out.u64(record.sequence)
    out.i64(record.time)
    out.string(record.user)
    out.u8(record.kind.rawValue)
    out.array(record.targets)
    // The summary comes first so `history` can list records without decoding effects.
    out.string(record.statement)
    out.u64(UInt64(record.dealCount))
    out.u64(UInt64(record.mutations.count))
    for mutation in record.mutations { out.mutation(mutation) }
  }

  public enum Tail: Equatable, Sendable {
    case clean
    /// The bytes from `offset` on are an unfinished append: too few for a frame, a frame
    /// longer than what is left, or nothing but zeros.
    case torn(offset: Int)
    /// The last record, at `offset`, is complete but fails its checksum: damage, not a crash.
    case damaged(offset: Int)
  }

  public enum ReadError: Error, Equatable {
    case notAJournal
    case newerVersion(UInt32)
    case damaged(offset: Int, what: String)
  }

  public struct Contents: Sendable {
    /// The format the file was written in; appends need the current one.
    public var version: UInt32
    public var baseSequence: UInt64
    public var records: [JournalRecord]
    /// Where the last good record ends.
    public var validEnd: Int
    public var tail: Tail
  }

  /// Reads and verifies every record. With `summariesOnly`, records keep their summary
  /// (sequence, time, user, kind, statement, deal count) and skip decoding effects.
  public static func read(_ bytes: [UInt8], summariesOnly: Bool = false) throws(ReadError) -> Contents {
    guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw .notAJournal }
    var header = ByteReader(bytes, from: 8)
    let version = try! header.u32("version")
    let base = try! header.u64("base")
    let crc = try! header.u32("header checksum")
    guard crc == CRC32C.checksum(bytes[0..<20]) else { throw .damaged(offset: 20, what: "header checksum mismatch") }
    guard version <= JournalFormat.version else { throw .newerVersion(version) }
    var records: [JournalRecord] = []
    var offset = headerSize
    var expected = base + 1
    while offset < bytes.count {
      guard let length = validFrame(bytes, at: offset) else {
        if let later = nextValidFrame(bytes, after: offset) {
          throw .damaged(
            offset: offset, what: "a record fails its checksum and a valid record follows at byte \(later)")
        }
        let tail: Tail = isUnfinished(bytes, at: offset) ? .torn(offset: offset) : .damaged(offset: offset)
        return Contents(version: version, baseSequence: base, records: records, validEnd: offset, tail: tail)
      }
      var reader = ByteReader(bytes, from: offset + frameSize, to: offset + frameSize + length)
      let record: JournalRecord
      do {
        record = try decodeRecord(&reader, summaryOnly: summariesOnly, version: version)
      } catch {
        throw .damaged(offset: error.offset, what: "record at byte \(offset): \(error.what)")
      }
      guard record.sequence == expected else {
        throw .damaged(offset: offset, what: "record \(record.sequence) where \(expected) was expected")
      }
      expected += 1
      records.append(record)
      offset += frameSize + length
    }
    return Contents(version: version, baseSequence: base, records: records, validEnd: offset, tail: .clean)
  }

  /// The payload length of a complete record with a correct checksum at `offset`.
  static func validFrame(_ bytes: [UInt8], at offset: Int) -> Int? {
    guard bytes.count - offset >= frameSize else { return nil }
    var reader = ByteReader(bytes, from: offset)
    guard (try? reader.u32("magic")) == recordMagic, let length = try? reader.u32("length"),
      let crc = try? reader.u32("crc"), Int(length) <= bytes.count - offset - frameSize
    else { return nil }
    let computed = bytes[(offset + 4)..<(offset + 8)].withUnsafeBytes { CRC32C.checksum($0) }
    let full = bytes[(offset + frameSize)..<(offset + frameSize + Int(length))].withUnsafeBytes {
      CRC32C.checksum($0, seed: computed)
    }
    return full == crc ? Int(length) : nil
  }

  /// Whether the bytes from `offset` on can be an append that did not finish: a frame
  /// header cut short, a frame that says it is longer than what is left, or zeros only.
  static func isUnfinished(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard bytes.count - offset >= frameSize else { return true }
    if bytes[offset...].allSatisfy({ $0 == 0 }) { return true }
    var reader = ByteReader(bytes, from: offset)
    guard (try? reader.u32("magic")) == recordMagic, let length = try? reader.u32("length") else { return false }
    return Int(length) > bytes.count - offset - frameSize
  }

  /// The statement a record that fails its checksum says it held, when that much of it
  /// reads; for telling the user what damage would cost.
  public static func statement(inDamagedRecordAt offset: Int, of bytes: [UInt8]) -> (UInt64, String)? {
    guard bytes.count - offset > frameSize else { return nil }
    var reader = ByteReader(bytes, from: offset + frameSize)
    guard let record = try? decodeRecord(&reader, summaryOnly: true) else { return nil }
    return (record.sequence, record.statement)
  }

  static func nextValidFrame(_ bytes: [UInt8], after offset: Int) -> Int? {
    var probe = offset + 1
    let first = UInt8(recordMagic & 0xFF)
    while probe + frameSize <= bytes.count {
      if bytes[probe] == first, validFrame(bytes, at: probe) != nil { return probe }
      probe += 1
    }
    return nil
  }

  static func decodeRecord(
    _ reader: inout ByteReader, summaryOnly: Bool = false, version: UInt32 = JournalFormat.version
  ) throws(ByteReader.Malformed)
    -> JournalRecord
  {
    let sequence = try reader.u64("sequence")
    let time = try reader.i64("time")
    let user = try reader.string("user")
    guard let kind = JournalRecord.Kind(rawValue: try reader.u8("kind")) else {
      throw ByteReader.Malformed(offset: reader.offset - 1, what: "record kind")
    }
    let targets = try reader.array(UInt64.self, "targets")
    let statement = try reader.string("statement")
    let dealCount = try reader.u64("deal count")
    guard dealCount < 1 << 40 else { throw ByteReader.Malformed(offset: reader.offset - 8, what: "deal count") }
    var record = JournalRecord(
      sequence: sequence, time: time, user: user, kind: kind, targets: targets, statement: statement,
      dealCount: Int(dealCount))
    if summaryOnly { return record }
    let count = try reader.u64("mutation count")
    guard count <= UInt64(reader.end - reader.offset) else {
      throw ByteReader.Malformed(offset: reader.offset, what: "mutation count")
    }
    var mutations: [Mutation] = []
    for _ in 0..<count { mutations.append(try reader.mutation(version: version)) }
    guard reader.atEnd else { throw ByteReader.Malformed(offset: reader.offset, what: "extra bytes in record") }
    // The statement and count as stored: an `--atomic` run is recorded under its script's name.
    record.mutations = mutations
    return record
  }
}
