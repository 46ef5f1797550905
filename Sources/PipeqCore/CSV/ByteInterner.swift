/// Finds the code of a cell from its bytes, so a value seen before costs a hash and a
/// compare of bytes, not a new `String` (and not the Unicode normalisation `String`
/// hashing does). A miss returns nil; the caller makes the string once and `add`s it.
/// Keys are a column's number and the bytes, so one table serves every column of an
/// import piece.
///
/// Hand-written because no library offers a hash table keyed by borrowed bytes; the
/// import benchmark (bench/README.md) is what it is for. Its memory is its own (not
/// arrays), so a lookup pays no retain, release or bounds check; hence not copyable.
struct ByteInterner: ~Copyable {
  private struct Entry {
    var hash: UInt64
    var start: Int
    var length: Int
    var column: Int
    var code: UInt32
  }

  /// Open addressing: each slot holds an index into `entries`, or -1.
  private var slots: UnsafeMutableBufferPointer<Int32>
  private var entries: UnsafeMutableBufferPointer<Entry>
  private var entryCount = 0
  private var arena: UnsafeMutableBufferPointer<UInt8>
  private var arenaCount = 0

  init() {
    slots = .allocate(capacity: 256)
    slots.initialize(repeating: -1)
    entries = .allocate(capacity: 128)
    arena = .allocate(capacity: 4_096)
  }

  deinit {
    slots.deallocate()
    entries.deallocate()
    arena.deallocate()
  }

  /// A hash of `bytes` in `column`: the first and last eight bytes (overlapping in a
  /// short cell) folded by one 128-bit multiply, as wyhash does; cells are short, and
  /// a byte-at-a-time hash waits on a multiply per byte.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> UInt64 {
    let count = bytes.count
    var seed = UInt64(truncatingIfNeeded: column &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    guard let base = bytes.baseAddress.map(UnsafeRawPointer.init), count > 0 else { return fold(seed, 0x5851_F42D) }
    func word(_ offset: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
    let first: UInt64
    let last: UInt64
    if count > 16 {
      var offset = 0
      while offset + 16 < count {
        seed = fold(word(offset) ^ 0xA076_1D64_78BD_642F, word(offset + 8) ^ seed)
        offset += 16
      }
      first = word(count - 16)
      last = word(count - 8)
    } else if count >= 8 {
      first = word(0)
      last = word(count - 8)
    } else if count >= 4 {
      first = UInt64(base.loadUnaligned(as: UInt32.self))
      last = UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
    } else {
      first = UInt64(bytes[0]) << 16 | UInt64(bytes[count / 2]) << 8 | UInt64(bytes[count - 1])
      last = 0
    }
    return fold(first ^ 0xA076_1D64_78BD_642F, last ^ seed ^ 0xE703_7ED1_A0B4_28DB)
  }

  /// The two halves of a full-width product, xored.
  private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = a.multipliedFullWidth(by: b)
    return product.high ^ product.low
  }

  func code(of bytes: UnsafeBufferPointer<UInt8>, column: Int, hash: UInt64) -> UInt32? {
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

  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, hash: UInt64, code: UInt32) {
    if (entryCount + 1) * 2 > slots.count { growSlots() }
    if entryCount == entries.count { entries = ByteInterner.grown(entries, keeping: entryCount, to: entryCount * 2) }
    if arenaCount + bytes.count > arena.count {
      arena = ByteInterner.grown(arena, keeping: arenaCount, to: max(arena.count * 2, arenaCount + bytes.count))
    }
    if let base = bytes.baseAddress { (arena.baseAddress! + arenaCount).update(from: base, count: bytes.count) }
    entries[entryCount] = Entry(hash: hash, start: arenaCount, length: bytes.count, column: column, code: code)
    arenaCount += bytes.count
    entryCount += 1
    place(entryCount - 1)
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

  private func place(_ index: Int) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(index)
  }

  private mutating func growSlots() {
    let count = slots.count * 2
    slots.deallocate()
    slots = .allocate(capacity: count)
    slots.initialize(repeating: -1)
    for index in 0..<entryCount { place(index) }
  }

  private static func grown<Element>(
    _ buffer: UnsafeMutableBufferPointer<Element>, keeping count: Int, to capacity: Int
  )
    -> UnsafeMutableBufferPointer<Element>
  {
    let bigger = UnsafeMutableBufferPointer<Element>.allocate(capacity: capacity)
    if count > 0 { bigger.baseAddress!.initialize(from: buffer.baseAddress!, count: count) }
    buffer.deallocate()
    return bigger
  }
}
