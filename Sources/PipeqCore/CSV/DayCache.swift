/// Days already read in this piece, by their ten bytes: a file has a few thousand
/// distinct dates across five date columns, so most cells are a compare, not a parse.
/// Its slots are its own memory (not arrays), so a hit pays no bounds check; hence not
/// copyable.
struct DayCache: ~Copyable {
  private struct Slot {
    var key: UInt64
    var tail: UInt16
    var number: Int32
  }

  private static let size = 4_096
  // Key 0 (eight NUL bytes) is never an ISO date, so it marks an empty slot.
  private let slots: UnsafeMutablePointer<Slot> = {
    let slots = UnsafeMutablePointer<Slot>.allocate(capacity: DayCache.size)
    slots.initialize(repeating: Slot(key: 0, tail: 0, number: 0), count: DayCache.size)
    return slots
  }()

  deinit { slots.deallocate() }

  /// The day in an ISO cell (`ValueParser.isoDay`), nil when it is not one.
  func day(_ cell: UnsafeBufferPointer<UInt8>) -> Day? {
    guard cell.count == 10, let base = cell.baseAddress else { return ValueParser.isoDay(cell) }
    let raw = UnsafeRawPointer(base)
    let key = raw.loadUnaligned(as: UInt64.self)
    let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    let index = Int(truncatingIfNeeded: ((key ^ UInt64(tail)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    let slot = slots[index]
    if slot.key == key && slot.tail == tail { return Day(number: slot.number) }
    guard let day = ValueParser.isoDay(cell) else { return nil }
    slots[index] = Slot(key: key, tail: tail, number: day.number)
    return day
  }
}
