/// Finds the code of a cell from its bytes, so a value seen before costs a hash and a
/// compare of bytes, not a new `String` (and not the Unicode normalisation `String`
/// hashing does). A miss returns nil; the caller makes the string once and `add`s it.
///
/// Hand-written because no library offers a hash table keyed by borrowed bytes; the
/// import benchmark (bench/README.md) is what it is for.
struct ByteInterner {
  private var slots: [Int32]
  private var hashes: [UInt64] = []
  private var starts: [Int] = []
  private var lengths: [Int] = []
  private var arena: [UInt8] = []
  private var codes: [UInt32] = []

  init() { slots = [Int32](repeating: -1, count: 64) }

  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
  }

  func code(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> UInt32? {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { return nil }
      if hashes[entry] == hash && lengths[entry] == bytes.count {
        let equal = arena.withUnsafeBufferPointer { arena in
          bytes.isEmpty
            || memcmp(arena.baseAddress! + starts[entry], bytes.baseAddress!, bytes.count) == 0
        }
        if equal { return codes[entry] }
      }
      slot = (slot + 1) & mask
    }
  }

  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, code: UInt32) {
    if (hashes.count + 1) * 2 > slots.count { grow() }
    let entry = Int32(hashes.count)
    hashes.append(hash)
    starts.append(arena.count)
    lengths.append(bytes.count)
    arena.append(contentsOf: bytes)
    codes.append(code)
    place(entry)
  }

  private mutating func place(_ entry: Int32) {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hashes[Int(entry)]) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = entry
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    for entry in hashes.indices { place(Int32(entry)) }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
