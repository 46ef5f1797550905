/// Compiles a filter plan once per statement into a closure over typed columns.
/// Text and stage tests become lookup tables indexed by dictionary code, so the
/// per-row work is an array read and a compare, with no allocation.
public enum FilterCompiler {
  public typealias Predicate = (Int) -> Bool

  public static func compile(_ plan: FilterPlan, _ table: DealTable) -> Predicate {
    switch plan {
    case .all:
      return { _ in true }
    case .and(let a, let b):
      let left = compile(a, table)
      let right = compile(b, table)
      return { left($0) && right($0) }
    case .or(let a, let b):
      let left = compile(a, table)
      let right = compile(b, table)
      return { left($0) || right($0) }
    case .not(let inner):
      let test = compile(inner, table)
      return { !test($0) }
    case .stages(let ids, _):
      let lookup = (0..<table.pipelines.stages.count).map { ids.contains(UInt16($0)) }
      let column = table.stage
      return { lookup[Int(column[$0])] }
    case .textIn(let field, let values):
      let keys = Set(values.map(\.folded))
      return codeLookup(table[keyPath: DealTable.textPath(field)!]) { keys.contains($0.folded) }
    case .textContains(let field, let needle):
      let key = needle.folded
      return codeLookup(table[keyPath: DealTable.textPath(field)!]) { $0.folded.contains(key) }
    case .tagIn(let tags):
      let keys = Set(tags.map(\.folded))
      return tagLookup(table) { keys.contains($0.folded) }
    case .tagContains(let needle):
      let key = needle.folded
      return tagLookup(table) { $0.folded.contains(key) }
    case .range(let field, let range, _):
      return numeric(field, table) { range.contains($0) }
    case .points(let field, let points, _):
      return numeric(field, table) { points.contains($0) }
    case .isEmpty(let field):
      if let path = DealTable.textPath(field) {
        let codes = table[keyPath: path].codes
        return { codes[$0] == 0 }
      }
      if let path = DealTable.datePath(field) {
        let days = table[keyPath: path]
        return { days[$0] == DealTable.emptyDay }
      }
      if field == .value {
        let values = table.value
        return { values[$0] == DealTable.emptyMoney }
      }
      if field == .tags {
        let codes = table.tags.codes
        return { codes[$0] == 0 }
      }
      return { _ in false }
    }
  }

  /// The rows a filter selects, in id order.
  public static func select(_ plan: FilterPlan, _ table: DealTable) -> [Int] {
    if case .all = plan { return Array(0..<table.count) }
    // Ids are sorted: `id = 42` and `id in (...)` look deals up instead of scanning.
    if let candidates = idCandidates(plan, table) { return candidates }
    if case .and(let left, let right) = plan, let candidates = idCandidates(left, table) {
      let predicate = compile(right, table)
      return candidates.filter(predicate)
    }
    let predicate = compile(plan, table)
    var rows: [Int] = []
    for row in 0..<table.count where predicate(row) { rows.append(row) }
    return rows
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

  private static func codeLookup(_ column: TextColumn, _ matches: (String) -> Bool) -> Predicate {
    // Code 0 is the empty value: no positive test matches it.
    var lookup = column.dictionary.strings.map(matches)
    lookup[0] = false
    let codes = column.codes
    return { lookup[Int(codes[$0])] }
  }

  private static func tagLookup(_ table: DealTable, _ matches: (String) -> Bool) -> Predicate {
    let nameMatches = table.tags.names.strings.map(matches)
    let lookup = table.tags.sets.map { set in set.contains { nameMatches[Int($0)] } }
    let codes = table.tags.codes
    return { lookup[Int(codes[$0])] }
  }

  private static func numeric(_ field: Field, _ table: DealTable, _ test: @escaping (Int64) -> Bool)
    -> Predicate
  {
    if let path = DealTable.datePath(field) {
      let days = table[keyPath: path]
      return { days[$0] != DealTable.emptyDay && test(Int64(days[$0])) }
    }
    if field == .value {
      let values = table.value
      return { values[$0] != DealTable.emptyMoney && test(values[$0]) }
    }
    let ids = table.ids
    return { test(ids[$0]) }
  }
}
