/// Finds the code of a cell from its bytes, so a value seen before costs a hash and a
/// compare of bytes, not a new `String` (and not the Unicode normalisation `String`
/// hashing does). A miss returns nil; the caller makes the string once and `add`s it.
/// Keys are a column's number and the bytes, so one table serves every column of an
/// import piece.
///
/// Hand-written because no library offers a hash table keyed by borrowed bytes; the
/// import benchmark (bench/README.md) is what it is for.
struct ByteInterner {
  private struct Entry {
    var hash: UInt64
    var start: Int
    var length: Int
    var column: Int
    var code: UInt32
  }

  /// Open addressing: each slot holds an index into `entries`, or -1.
  private var slots: [Int32]
  private var entries: [Entry] = []
  private var arena: [UInt8] = []

  init() { slots = [Int32](repeating: -1, count: 256) }

  /// A hash of `bytes` in `column`, eight bytes to a multiply: cells are short, and a
  /// byte-at-a-time hash waits on a multiply per byte.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> UInt64 {
    let count = bytes.count
    var hash = UInt64(truncatingIfNeeded: column &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    guard let base = bytes.baseAddress.map(UnsafeRawPointer.init), count > 0 else { return mix(hash) }
    if count >= 8 {
      var offset = 0
      while offset + 8 < count {
        hash = mix(hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
      }
      // The last eight bytes, overlapping the previous word when the length is not a multiple of 8.
      return mix(hash ^ base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
    if count >= 4 {
      let low = UInt64(base.loadUnaligned(as: UInt32.self))
      let high = UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      return mix(hash ^ (high << 32 | low))
    }
    let first = UInt64(bytes[0])
    let middle = UInt64(bytes[count / 2])
    let last = UInt64(bytes[count - 1])
    return mix(hash ^ (first << 16 | middle << 8 | last))
  }

  private static func mix(_ value: UInt64) -> UInt64 {
    var x = value
    x = (x ^ (x >> 32)) &* 0xD6E8_FEB8_6659_FD93
    x = (x ^ (x >> 32)) &* 0xD6E8_FEB8_6659_FD93
    return x ^ (x >> 32)
  }

  func code(of bytes: UnsafeBufferPointer<UInt8>, column: Int, hash: UInt64) -> UInt32? {
    slots.withUnsafeBufferPointer { slots in
      entries.withUnsafeBufferPointer { entries in
        arena.withUnsafeBufferPointer { arena in
          let mask = slots.count - 1
          var slot = Int(truncatingIfNeeded: hash) & mask
          while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash && entry.length == bytes.count && entry.column == column
              && ByteInterner.equal(arena.baseAddress! + entry.start, bytes.baseAddress, count: bytes.count)
            {
              return entry.code
            }
            slot = (slot + 1) & mask
          }
        }
      }
    }
  }

  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, hash: UInt64, code: UInt32) {
    if (entries.count + 1) * 2 > slots.count { grow() }
    // The arena never starts empty, so an entry's bytes always have an address.
    if arena.isEmpty { arena.append(0) }
    entries.append(Entry(hash: hash, start: arena.count, length: bytes.count, column: column, code: code))
    arena.append(contentsOf: bytes)
    place(entries.count - 1)
  }

  /// Compares short byte runs a word at a time, without a call to memcmp.
  private static func equal(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>?, count: Int) -> Bool {
    guard count > 0, let right else { return true }
    let a = UnsafeRawPointer(left)
    let b = UnsafeRawPointer(right)
    if count >= 8 {
      var offset = 0
      while offset + 8 < count {
        if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        {
          return false
        }
        offset += 8
      }
      return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    for offset in 0..<count where left[offset] != right[offset] { return false }
    return true
  }

  private mutating func place(_ index: Int) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(index)
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    for index in entries.indices { place(index) }
  }
}
