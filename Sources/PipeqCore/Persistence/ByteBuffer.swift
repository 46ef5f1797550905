import Dispatch

/// Little-endian encoding for the on-disk formats. A writer made by `measure` only
/// counts: an encoding is run through one first so the real writer reserves the exact
/// size, and a 70 MB record or snapshot is never copied while it grows.
struct ByteWriter {
  var bytes: [UInt8] = []
  private var measuring = false
  private var measured = 0

  init() {}

  /// The size of what `body` writes.
  static func measure(_ body: (inout ByteWriter) -> Void) -> Int {
    var counter = ByteWriter()
    counter.measuring = true
    body(&counter)
    return counter.measured
  }

  /// Bytes written so far.
  var count: Int { measuring ? measured : bytes.count }

  mutating func append(_ raw: [UInt8]) {
    if measuring { measured += raw.count } else { bytes += raw }
  }

  mutating func u8(_ value: UInt8) {
    if measuring { measured += 1 } else { bytes.append(value) }
  }

  mutating func u16(_ value: UInt16) {
    if measuring { return measured += 2 }
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func u32(_ value: UInt32) {
    if measuring { return measured += 4 }
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func u64(_ value: UInt64) {
    if measuring { return measured += 8 }
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

  mutating func string(_ value: String) {
    if measuring { return measured += 4 + value.utf8.count }
    let utf8 = Array(value.utf8)
    u32(UInt32(utf8.count))
    bytes.append(contentsOf: utf8)
  }

  /// A column of fixed-width integers, copied as raw little-endian memory.
  mutating func array<T: FixedWidthInteger>(_ values: [T]) {
    if measuring { return measured += 8 + values.count * MemoryLayout<T>.size }
    u64(UInt64(values.count))
    values.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  mutating func strings(_ values: [String]) {
    u64(UInt64(values.count))
    for value in values { string(value) }
  }

  /// Packed strings, in the layout `strings` writes: a count, then each one's length and bytes.
  mutating func strings(_ values: PackedStrings) {
    if measuring { return measured += 8 + 4 * values.count + values.byteCount }
    u64(UInt64(values.count))
    bytes.reserveCapacity(bytes.count + 4 * values.count + values.byteCount)
    for index in values.indices {
      values.withBytes(of: index) { string in
        u32(UInt32(string.count))
        bytes.append(contentsOf: string)
      }
    }
  }

  mutating func patch(u32 value: UInt32, at offset: Int) {
    if measuring { return }
    withUnsafeBytes(of: value.littleEndian) { raw in
      for index in 0..<4 { bytes[offset + index] = raw[index] }
    }
  }

  mutating func patch(u64 value: UInt64, at offset: Int) {
    if measuring { return }
    withUnsafeBytes(of: value.littleEndian) { raw in
      for index in 0..<8 { bytes[offset + index] = raw[index] }
    }
  }

  /// A snapshot block in place: u32 kind · u64 payload length · payload · u32 CRC-32C of
  /// all three.
  mutating func block(_ kind: UInt32, _ body: (inout ByteWriter) -> Void) {
    let start = count
    u32(kind)
    u64(0)
    body(&self)
    patch(u64: UInt64(count - start - 12), at: start + 4)
    u32(measuring ? 0 : CRC32C.checksum(bytes[start...]))
  }
}

/// Bounds-checked reading: a length that runs past the end is an error, never a crash.
struct ByteReader {
  struct Malformed: Error { var offset: Int; var what: String }

  let bytes: [UInt8]
  var offset: Int
  let end: Int

  init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    self.offset = start
    self.end = end ?? bytes.count
  }

  var atEnd: Bool { offset >= end }

  mutating func take(_ count: Int, _ what: String) throws(Malformed) -> ArraySlice<UInt8> {
    guard count >= 0, count <= end - offset else { throw Malformed(offset: offset, what: what) }
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  mutating func u8(_ what: String) throws(Malformed) -> UInt8 { try take(1, what).first! }

  mutating func u16(_ what: String) throws(Malformed) -> UInt16 {
    let slice = try take(2, what)
    return slice.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self)) }
  }

  mutating func u32(_ what: String) throws(Malformed) -> UInt32 {
    let slice = try take(4, what)
    return slice.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
  }

  mutating func u64(_ what: String) throws(Malformed) -> UInt64 {
    let slice = try take(8, what)
    return slice.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
  }

  mutating func i64(_ what: String) throws(Malformed) -> Int64 { Int64(bitPattern: try u64(what)) }

  mutating func string(_ what: String) throws(Malformed) -> String {
    let count = Int(try u32(what))
    let slice = try take(count, what)
    guard let text = String(validating: slice, as: UTF8.self) else {
      throw Malformed(offset: offset - count, what: what)
    }
    return text
  }

  /// A u64 count, then that many integers; `slack` more is room reserved for growth
  /// (reserving it later would copy the whole array again).
  mutating func array<T: FixedWidthInteger>(_ type: T.Type, _ what: String, slack: (Int) -> Int = { _ in 0 })
    throws(Malformed) -> [T]
  {
    let count = try u64(what)
    let size = MemoryLayout<T>.size
    guard count <= UInt64(end - offset) / UInt64(size) else { throw Malformed(offset: offset, what: what) }
    let slice = try take(Int(count) * size, what)
    if count == 0 { return [] }
    return [T](unsafeUninitializedCapacity: Int(count) + slack(Int(count))) { buffer, initialized in
      slice.withUnsafeBytes { raw in
        _ = memcpy(buffer.baseAddress!, raw.baseAddress!, Int(count) * size)
      }
      initialized = Int(count)
    }
  }

  mutating func strings(_ what: String) throws(Malformed) -> [String] {
    let count = try u64(what)
    guard count <= UInt64(end - offset) / 4 else { throw Malformed(offset: offset, what: what) }
    var values: [String] = []
    values.reserveCapacity(Int(count))
    for _ in 0..<count { values.append(try string(what)) }
    return values
  }

  /// Strings written by `ByteWriter.strings`, packed as they are read: their bytes are
  /// copied once into one buffer and checked as UTF-8 (a big list's two halves on both
  /// cores), with every string starting on a character, so each one is UTF-8 on its own.
  mutating func packedStrings(_ what: String) throws(Malformed) -> PackedStrings {
    let count = try u64(what)
    guard count <= UInt64(end - offset) / 4 else { throw Malformed(offset: offset, what: what) }
    let start = offset
    var ends: [Int] = []
    ends.reserveCapacity(Int(count))
    var total = 0
    for _ in 0..<count {
      let length = Int(try u32(what))
      _ = try take(length, what)
      if length > 0 && bytes[offset - length] & 0xC0 == 0x80 { throw Malformed(offset: offset - length, what: what) }
      total += length
      ends.append(total)
    }
    let packed = packedBytes(from: start, ends: ends, total: total)
    let parts = ends.count >= 1 << 16 ? [0..<ends[ends.count / 2], ends[ends.count / 2]..<total] : [0..<total, 0..<0]
    // Each part's first byte that is not UTF-8, as an offset into `packed`.
    let bad = ParallelSlots<Int?>(count: 2)
    packed.withUnsafeBufferPointer { buffer in
      let whole = UncheckedSendable(buffer)
      DispatchQueue.concurrentPerform(iterations: 2) { part in
        let range = parts[part]
        do {
          _ = try UTF8Span(validating: UnsafeBufferPointer(rebasing: whole.value[range]).span)
          bad[part] = nil
        } catch {
          bad[part] = range.lowerBound + ((error as? UTF8.ValidationError)?.byteOffsets.lowerBound ?? 0)
        }
      }
    }
    if let at = bad[0] ?? bad[1] {
      // Back to the file: the bytes before it, plus a length before each string up to it.
      let index = ends.firstIndex { $0 > at } ?? ends.count
      throw Malformed(offset: start + 4 * (index + 1) + at, what: what)
    }
    return PackedStrings(bytes: packed, ends: ends)
  }

  /// The bytes of strings laid out from `start` (each after its u32 length), end to end.
  private func packedBytes(from start: Int, ends: [Int], total: Int) -> [UInt8] {
    bytes.withUnsafeBufferPointer { source in
      [UInt8](unsafeUninitializedCapacity: total) { target, initialized in
        var cursor = start
        var previous = 0
        for end in ends {
          let length = end - previous
          if length > 0 { _ = memcpy(target.baseAddress! + previous, source.baseAddress! + cursor + 4, length) }
          cursor += 4 + length
          previous = end
        }
        initialized = total
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
