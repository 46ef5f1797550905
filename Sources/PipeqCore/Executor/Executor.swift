/// Runs read plans against the deal table.
public enum Executor {
  public static func run(_ plan: ListPlan, on table: DealTable, today: Day) -> ResultTable {
    var rows = FilterCompiler.select(plan.filter, table)
    if !plan.order.isEmpty { rows = sorted(rows, by: plan.order, table, today) }
    let total = rows.count
    if let limit = plan.limit, limit < rows.count { rows = Array(rows.prefix(limit)) }
    let readers = plan.fields.map { table.reader(for: $0, today: today) }
    let values = rows.map { row in readers.map { $0(row) } }
    return ResultTable(
      columns: plan.fields.map(\.rawValue), rows: values,
      totalRows: plan.limit != nil && total > rows.count ? total : nil, rowNoun: "deal")
  }

  /// Sorts rows by the order terms; empty values last in both directions, ties in id order.
  /// Stages sort in pipeline order (as `stage >=` reads them), not by name.
  static func sorted(
    _ rows: [Int], by order: [(field: Field, descending: Bool)], _ table: DealTable, _ today: Day
  ) -> [Int] {
    let catalog = table.pipelines
    let keys = order.map { term in
      if let slot = term.field.textSlot {
        // Text by its place in folded order, ranked once per distinct value.
        let column = table.texts[slot]
        let ranks = column.dictionary.foldedRanks()
        return rows.map { row -> Value in
          let code = Int(column.codes[row])
          return code == 0 ? .empty : .integer(Int64(ranks[code]))
        }
      }
      guard term.field == .stage else { return rows.map(table.reader(for: term.field, today: today)) }
      return rows.map { row -> Value in
        let stage = catalog.stages[Int(table.stage[row])]
        return .integer(Int64(stage.pipeline) << 16 | Int64(stage.position))
      }
    }
    return rows.indices.sorted { a, b in
      for (index, term) in order.enumerated() {
        let left = keys[index][a]
        let right = keys[index][b]
        if left.isEmpty != right.isEmpty { return right.isEmpty }
        if left == right || (left.isEmpty && right.isEmpty) { continue }
        if case .text(let l) = left, case .text(let r) = right, l.folded == r.folded { continue }
        return term.descending ? right < left : left < right
      }
      return a < b
    }.map { rows[$0] }
  }
}
