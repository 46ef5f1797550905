/// One import piece's columns while it is parsed: plain memory written row by row and
/// grown by doubling, so the row loop pays no array bookkeeping (a uniqueness check
/// and a capacity check on each of sixteen appends per row). The importer copies them
/// into the table's arrays once, each column on its own core (`PieceAssembly`).
final class PieceColumns: @unchecked Sendable {
  /// The memory itself; a value the row loop keeps in a local, written back here after
  /// every growth so this object always owns the latest buffers.
  struct Buffers {
    private(set) var capacity: Int
    var ids: UnsafeMutablePointer<Int64>
    var values: UnsafeMutablePointer<Int64>
    /// `Field.storedText.count` columns of `capacity` codes, one after another.
    var texts: UnsafeMutablePointer<UInt32>
    var tags: UnsafeMutablePointer<UInt32>
    var stages: UnsafeMutablePointer<UInt16>
    /// `Field.storedDates.count` columns of `capacity` day numbers.
    var days: UnsafeMutablePointer<Int32>

    static let textCount = Field.storedText.count
    static let dateCount = Field.storedDates.count

    init(capacity: Int) {
      self.capacity = max(capacity, 16)
      ids = .allocate(capacity: self.capacity)
      values = .allocate(capacity: self.capacity)
      texts = .allocate(capacity: self.capacity * Buffers.textCount)
      tags = .allocate(capacity: self.capacity)
      stages = .allocate(capacity: self.capacity)
      days = .allocate(capacity: self.capacity * Buffers.dateCount)
    }

    /// Where text column `slot` starts.
    func text(_ slot: Int) -> UnsafeMutablePointer<UInt32> { texts + slot &* capacity }

    /// Where date column `slot` starts.
    func day(_ slot: Int) -> UnsafeMutablePointer<Int32> { days + slot &* capacity }

    /// Empty cells in every column of `row`, before the row's cells are written.
    func clear(_ row: Int) {
      ids[row] = 0
      values[row] = DealTable.emptyMoney
      tags[row] = 0
      for slot in 0..<Buffers.textCount { texts[slot &* capacity &+ row] = 0 }
      for slot in 0..<Buffers.dateCount { days[slot &* capacity &+ row] = DealTable.emptyDay }
    }

    /// Twice the room, with the first `rows` rows copied over; frees the old memory.
    func grown(keeping rows: Int) -> Buffers {
      let bigger = Buffers(capacity: capacity * 2)
      bigger.ids.update(from: ids, count: rows)
      bigger.values.update(from: values, count: rows)
      bigger.tags.update(from: tags, count: rows)
      bigger.stages.update(from: stages, count: rows)
      for slot in 0..<Buffers.textCount { bigger.text(slot).update(from: text(slot), count: rows) }
      for slot in 0..<Buffers.dateCount { bigger.day(slot).update(from: day(slot), count: rows) }
      deallocate()
      return bigger
    }

    func deallocate() {
      ids.deallocate()
      values.deallocate()
      texts.deallocate()
      tags.deallocate()
      stages.deallocate()
      days.deallocate()
    }
  }

  var buffers: Buffers
  /// Rows written.
  var count = 0

  init(capacity: Int) { buffers = Buffers(capacity: capacity) }

  deinit { buffers.deallocate() }
}
