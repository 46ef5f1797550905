/// Deals rotting in their stage: open, and idle (days since the later of the last
/// interaction and entering the stage) longer than the stage's rotting limit; worst
/// first. The list a flush starts from.
enum Stale {
  /// Rotting deals listed unless `limit` says otherwise; the total is always given.
  static let defaultLimit = 100

  struct Entry: Sendable {
    var row: Int
    var idle: Int
    var limit: Int
  }

  /// Every rotting deal among the selected, most days past its limit first, then by id.
  static func entries(_ filter: FilterPlan, _ table: DealTable, _ today: Day, _ settings: Settings) -> [Entry] {
    let catalog = table.pipelines
    let limits = catalog.stages.indices.map { settings.rotting(of: UInt16($0), in: catalog) }
    var entries: [Entry] = []
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let stage = table.stage[row]
      guard catalog.status(of: stage) == .open, let idle = idleDays(row, table, today) else { return }
      let limit = limits[Int(stage)]
      if idle > limit { entries.append(Entry(row: row, idle: idle, limit: limit)) }
    }
    return entries.sorted { a, b in
      a.idle - a.limit != b.idle - b.limit ? a.idle - a.limit > b.idle - b.limit : a.row < b.row
    }
  }

  /// Days since the later of the last interaction and entering the stage; nil when
  /// neither is known.
  static func idleDays(_ row: Int, _ table: DealTable, _ today: Day) -> Int? {
    let latest = max(table.day(.lastInteraction, at: row)!, table.day(.stageEntered, at: row)!)
    guard latest != DealTable.emptyDay else { return nil }
    return Int(today.number - latest)
  }

  static func run(
    limit: Int, _ filter: FilterPlan, _ table: DealTable, _ today: Day, _ settings: Settings
  ) -> ReportResult {
    let all = entries(filter, table, today, settings)
    let entries = all.prefix(limit)
    let rows = entries.map { entry -> [Value] in
      let row = entry.row
      return [
        .integer(table.ids[row]), table.value(.name, at: row, today: today), table.value(.owner, at: row, today: today),
        table.value(.stage, at: row, today: today), table.value(.value, at: row, today: today),
        table.value(.currency, at: row, today: today), .integer(Int64(entry.idle)), .integer(Int64(entry.limit)),
        .integer(Int64(entry.idle - entry.limit)),
      ]
    }
    var result = ResultTable(
      columns: ["id", "name", "owner", "stage", "value", "currency", "idle_days", "limit_days", "days_over"],
      rows: rows, totalRows: all.count, rowNoun: "rotting deal")
    // days_over is idle_days less limit_days: the two go first, then what the deal's id
    // and name already say.
    result.leaveOut = ["limit_days", "idle_days", "currency", "owner", "value"]
    let json =
      String(
        JSONWriter.object([("report", "\"stale\""), ("total", String(all.count)), ("shown", String(rows.count))])
          .dropLast())
      + ", \"deals\": " + String(JSONWriter.render(result).dropLast()) + "}\n"
    return ReportResult(
      table: result, json: json,
      text: { [result] width in
        guard !rows.isEmpty else { return "no deal is idle past its stage's rotting limit\n" }
        return TableRenderer(maxWidth: width).render(result)
      })
  }
}
