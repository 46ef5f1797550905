/// The ids a file gives and the line of each. Exports list ids in order, and while they
/// ascend a repeat is impossible, so no hash table is kept; the first id out of order
/// builds one.
struct IDLines {
  private(set) var ids: [Int64] = []
  private(set) var lines: [Int] = []
  private var index: [Int64: Int]?
  private(set) var maximum: Int64 = 0

  /// The line that already gave `id`, if one did.
  func line(of id: Int64) -> Int? {
    if let index { return index[id] }
    guard let last = ids.last, id <= last else { return nil }
    var low = 0
    var high = ids.count
    while low < high {
      let mid = (low + high) / 2
      if ids[mid] < id { low = mid + 1 } else { high = mid }
    }
    return low < ids.count && ids[low] == id ? lines[low] : nil
  }

  mutating func add(_ id: Int64, line: Int) {
    if index == nil, let last = ids.last, id <= last {
      index = Dictionary(zip(ids, lines), uniquingKeysWith: { first, _ in first })
    }
    ids.append(id)
    lines.append(line)
    if index != nil && index![id] == nil { index![id] = line }
    maximum = max(maximum, id)
  }
}
