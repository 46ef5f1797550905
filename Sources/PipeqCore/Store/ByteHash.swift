/// A fast 64-bit hash of a byte run: the first and last eight bytes (overlapping in a
/// short run) folded by one 128-bit multiply, sixteen bytes a step for longer runs, as
/// wyhash does. For hash tables only: not for anything an adversary chooses.
enum ByteHash {
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0) -> UInt64 {
    let count = bytes.count
    var seed = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
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

  /// Byte runs compared a word at a time, without a call to memcmp.
  static func equal(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, count: Int) -> Bool {
    if count >= 8 {
      var offset = 0
      while offset + 8 < count {
        if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        {
          return false
        }
        offset += 8
      }
      return left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    for offset in 0..<count
    where left.load(fromByteOffset: offset, as: UInt8.self) != right.load(fromByteOffset: offset, as: UInt8.self) {
      return false
    }
    return true
  }
}
