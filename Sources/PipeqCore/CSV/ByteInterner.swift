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

  /// A hash of `bytes` in `column`.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> UInt64 {
    ByteHash.hash(bytes, seed: UInt64(truncatingIfNeeded: column &+ 1))
  }

  func code(of bytes: UnsafeBufferPointer<UInt8>, column: Int, hash: UInt64) -> UInt32? {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let index = Int(slots[slot])
      if index < 0 { return nil }
      let entry = entries[index]
      if entry.hash == hash && entry.length == bytes.count && entry.column == column
        && (bytes.isEmpty || ByteHash.equal(arena.baseAddress! + entry.start, bytes.baseAddress!, count: bytes.count))
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
