/// One decimal mark per amount column, decided from all its values: `1.234` is twelve
/// hundred and thirty-four in a column that also holds `99,50`, and one and a quarter
/// nowhere a sales team works. Cells with both marks, or two decimals after one, say which
/// mark is the decimal; a column with no such cell reads a lone mark before three digits as
/// a thousands separator.
public enum AmountColumn {
  public enum Mark: Equatable, Sendable { case point, comma }

  /// The column's decimal mark; nil when its cells disagree (each is then read on its
  /// own) or none shows one.
  public static func mark(of values: [String]) -> Mark? {
    var seen: Set<Mark> = []
    for value in values where !value.isEmpty {
      if let mark = evidence(value) { seen.insert(mark) }
      if seen.count == 2 { return nil }
    }
    return seen.first
  }

  /// What one cell says of the decimal mark, if anything.
  public static func evidence(_ value: String) -> Mark? {
    let marks = value.utf8.filter { $0 == 0x2C || $0 == 0x2E }
    guard let last = marks.last else { return nil }
    if Set(marks).count == 2 { return last == 0x2C ? .comma : .point }
    // One kind: more than one of it are thousands; one before 1–2 digits is decimal.
    if marks.count > 1 { return last == 0x2C ? .point : .comma }
    let digitsAfter = value.utf8.reversed().prefix { $0 != last }.filter { $0 >= 0x30 && $0 <= 0x39 }.count
    guard digitsAfter == 1 || digitsAfter == 2 else { return nil }
    return last == 0x2C ? .comma : .point
  }

  /// The cell with its grouping taken out and a point for its decimal mark, so the value
  /// parser reads it one way; other text (a symbol, a code) is kept.
  public static func normalized(_ value: String, _ mark: Mark?) -> String {
    guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x2E }) else { return value }
    switch mark {
    case .comma: return String(value.compactMap { $0 == "." ? nil : $0 == "," ? "." : $0 })
    case .point: return String(value.filter { $0 != "," })
    case nil:
      guard evidence(value) == nil else { return value }
      // A lone mark before three digits groups thousands.
      return String(value.filter { $0 != "," && $0 != "." })
    }
  }
}
