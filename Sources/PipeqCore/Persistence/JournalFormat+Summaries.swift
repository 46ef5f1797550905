extension JournalFormat {
  /// How much of a record is read at a time when its summaries are streamed.
  static let streamChunk = 1 << 20

  /// Every record's summary of a journal read a piece at a time (`read` gives the bytes
  /// of a range): each record's checksum is still verified over all of its bytes, a
  /// chunk at a time, but only the start of its payload (where the summary is) is kept.
  /// So the history of a store whose import record is 128 MB is read holding a megabyte,
  /// not the file. Nil for anything out of the ordinary (a torn or damaged frame, a
  /// summary longer than a chunk): `read` of the whole file then says exactly what.
  static func streamedSummaries<Failure: Error>(
    size: Int, read: (Range<Int>) throws(Failure) -> [UInt8]
  ) throws(Failure) -> Contents? {
    guard size >= headerSize else { return nil }
    let head = try read(0..<headerSize)
    guard head.count == headerSize, Array(head[0..<8]) == magic else { return nil }
    var header = ByteReader(head, from: 8)
    guard let version = try? header.u32("version"), let base = try? header.u64("base"),
      let crc = try? header.u32("header checksum"), crc == CRC32C.checksum(head[0..<20]),
      version <= JournalFormat.version
    else { return nil }
    var records: [JournalRecord] = []
    var offset = headerSize
    while offset < size {
      guard let (record, length) = try streamedRecord(at: offset, size: size, version: version, read: read),
        record.sequence == base + UInt64(records.count) + 1
      else { return nil }
      records.append(record)
      offset += frameSize + length
    }
    return Contents(version: version, baseSequence: base, records: records, validEnd: offset, tail: .clean)
  }

  /// One record's summary and payload length, its checksum verified over every byte;
  /// nil when the frame is not whole and right.
  private static func streamedRecord<Failure: Error>(
    at offset: Int, size: Int, version: UInt32, read: (Range<Int>) throws(Failure) -> [UInt8]
  ) throws(Failure) -> (JournalRecord, Int)? {
    guard size - offset >= frameSize else { return nil }
    let frame = try read(offset..<offset + frameSize)
    var reader = ByteReader(frame, from: 0)
    guard frame.count == frameSize, (try? reader.u32("magic")) == recordMagic,
      let length = (try? reader.u32("length")).map(Int.init), let crc = try? reader.u32("crc"),
      length <= size - offset - frameSize
    else { return nil }
    var computed = frame[4..<8].withUnsafeBytes { CRC32C.checksum($0) }
    var first: [UInt8] = []
    var start = offset + frameSize
    let end = start + length
    while start < end {
      let chunk = try read(start..<min(end, start + streamChunk))
      guard chunk.count == min(end, start + streamChunk) - start else { return nil }
      computed = chunk.withUnsafeBytes { CRC32C.checksum($0, seed: computed) }
      if first.isEmpty { first = chunk }
      start += chunk.count
    }
    guard computed == crc else { return nil }
    var payload = ByteReader(first, from: 0, to: first.count)
    guard let record = try? decodeRecord(&payload, summaryOnly: true, version: version) else { return nil }
    return (record, length)
  }
}
