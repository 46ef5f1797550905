/// Days already read in this piece, by their ten bytes: a file has a few thousand
/// distinct dates across five date columns, so most cells are a compare, not a parse.
struct DayCache {
  private var keys = [UInt64](repeating: 0, count: 4_096)
  private var tails = [UInt16](repeating: 0, count: 4_096)
  private var numbers = [Int32](repeating: 0, count: 4_096)

  /// The day in an ISO cell (`ValueParser.isoDay`), nil when it is not one.
  mutating func day(_ cell: UnsafeBufferPointer<UInt8>) -> Day? {
    guard cell.count == 10, let base = cell.baseAddress else { return ValueParser.isoDay(cell) }
    let raw = UnsafeRawPointer(base)
    let key = raw.loadUnaligned(as: UInt64.self)
    let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    // Key 0 (eight NUL bytes) is never an ISO date, so it marks an empty slot.
    let slot = Int(truncatingIfNeeded: ((key ^ UInt64(tail)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    if keys[slot] == key && tails[slot] == tail { return Day(number: numbers[slot]) }
    guard let day = ValueParser.isoDay(cell) else { return nil }
    keys[slot] = key
    tails[slot] = tail
    numbers[slot] = day.number
    return day
  }
}
