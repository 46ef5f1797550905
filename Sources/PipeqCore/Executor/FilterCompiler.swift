/// Chooses how a filter finds its rows: an id lookup when the filter names ids,
/// otherwise a scan of whole columns (`FilterScan`).
public enum FilterCompiler {
  public typealias Predicate = (Int) -> Bool

  public static func compile(_ plan: FilterPlan, _ table: DealTable) -> Predicate {
    let kernel = FilterScan.prepare(plan, table)
    return { FilterScan.matches(kernel, $0) }
  }

  /// The rows a filter selects, in id order.
  public static func select(_ plan: FilterPlan, _ table: DealTable) -> [Int] {
    if case .all = plan { return Array(0..<table.count) }
    if let candidates = candidates(plan, table) { return candidates }
    return FilterScan.bitmap(plan, table).rows
  }

  /// The rows a filter selects, as a bitmap.
  public static func bitmap(_ plan: FilterPlan, _ table: DealTable) -> RowBitmap {
    if let candidates = candidates(plan, table) { return RowBitmap(rows: candidates, rowCount: table.count) }
    return FilterScan.bitmap(plan, table)
  }

  /// Ids are sorted: `id = 42` and `id in (...)` look deals up instead of scanning.
  private static func candidates(_ plan: FilterPlan, _ table: DealTable) -> [Int]? {
    if let candidates = idCandidates(plan, table) { return candidates }
    if case .and(let left, let right) = plan, let candidates = idCandidates(left, table) {
      let predicate = compile(right, table)
      return candidates.filter(predicate)
    }
    return nil
  }

  private static func idCandidates(_ plan: FilterPlan, _ table: DealTable) -> [Int]? {
    switch plan {
    case .points(.id, let ids, _):
      return ids.compactMap { table.row(of: $0) }.sorted()
    case .range(.id, let range, _):
      let low = table.firstRow(atOrAfter: range.lowerBound)
      let high = range.upperBound == Int64.max ? table.count : table.firstRow(atOrAfter: range.upperBound + 1)
      return low < high ? Array(low..<high) : []
    default:
      return nil
    }
  }
}
