import CCRC32C

/// CRC-32C (Castagnoli). Catches every single-bit error and every burst up to 32 bits,
/// which is why every block and record on disk carries one. Uses the CPU's crc32
/// instruction where there is one; slicing-by-8 tables otherwise.
public enum CRC32C {
  static let hardware = pipeq_crc32c_hw_available() == 1

  public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
    guard hardware, let base = bytes.baseAddress else { return software(bytes, seed: seed) }
    return ~pipeq_crc32c_hw(~seed, base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  private static let tables: [[UInt32]] = {
    var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
    for i in 0..<256 {
      var crc = UInt32(i)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
      tables[0][i] = crc
    }
    for i in 0..<256 {
      for t in 1..<8 { tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][Int(tables[t - 1][i] & 0xFF)] }
    }
    return tables
  }()

  /// The table-driven version; also what tests compare the instruction against.
  public static func software(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
    var crc = ~seed
    var index = 0
    let count = bytes.count
    tables.withUnsafeBufferPointer { t in
      let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
      while count - index >= 8 {
        let low =
          crc
          ^ (UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(
            bytes[index + 3]) << 24)
        crc =
          t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)]
          ^ t4[Int(low >> 24)] ^ t3[Int(bytes[index + 4])] ^ t2[Int(bytes[index + 5])]
          ^ t1[Int(bytes[index + 6])] ^ t0[Int(bytes[index + 7])]
        index += 8
      }
      while index < count {
        crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
        index += 1
      }
    }
    return ~crc
  }

  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0) }
  }

  public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0) }
  }
}
