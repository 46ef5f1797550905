extension ValueColumn {
  /// How many records hold a different value here than in `after` (both empty counts as
  /// the same, as an edit does), compared code by code: no value is built per record,
  /// so an undo's preview can count a million changes in a pass over the codes.
  public func changedCount(to after: ValueColumn) -> Int {
    let (before, width) = (values, after.values.count)
    func differs(_ old: Int, _ new: Int) -> Bool {
      let (x, y) = (before[old], after.values[new])
      return !(x == y || (x.isEmpty && y.isEmpty))
    }
    guard before.count * width <= 1 << 16 else {
      return (0..<count).reduce(0) { $0 + (differs(Int(code(at: $1)), Int(after.code(at: $1))) ? 1 : 0) }
    }
    // A table of every pair of codes, worked out once.
    var table = [Bool](repeating: false, count: before.count * width)
    for old in before.indices { for new in 0..<width { table[old * width + new] = differs(old, new) } }
    if codes.isEmpty && after.codes.isEmpty { return table.first == true ? count : 0 }
    var changed = 0
    for position in 0..<count where table[Int(code(at: position)) * width + Int(after.code(at: position))] {
      changed += 1
    }
    return changed
  }
}
