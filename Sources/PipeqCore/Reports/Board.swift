/// The kanban board: a column per stage of one pipeline, each with its deal count and
/// total value, then its largest deals.
enum Board {
  static let topDeals = 5

  struct Column: Sendable {
    var stage: String
    var status: DealStatus
    var count = 0
    var total = MoneyTotal()
    /// Largest first (in the base currency when rates convert), ties by id.
    var top: [(id: Int64, name: String, cents: Int64, currency: String, weight: Double)] = []
  }

  static func run(
    pipeline: UInt16, asOf: Day?, _ filter: FilterPlan, _ table: DealTable, _ settings: Settings
  ) -> ReportResult {
    let catalog = table.pipelines
    // Parked stages (the fridge) come after lost, wherever they are in the order.
    let order = catalog.pipelines[Int(pipeline)].stages
    let stageIDs =
      order.filter { catalog.status(of: $0) != .parked } + order.filter { catalog.status(of: $0) == .parked }
    var columnOf = [Int](repeating: -1, count: catalog.stages.count)
    for (index, stage) in stageIDs.enumerated() { columnOf[Int(stage)] = index }
    var columns = stageIDs.map { Column(stage: catalog.stages[Int($0)].name, status: catalog.status(of: $0)) }
    let stages = table.stage
    let currencies = Reports.currencyNames(table)
    let values = table.value
    let currencyCodes = table.textColumn(.currency).codes
    // Deals rank by what they are worth in the base currency when it converts.
    let rates = currencies.map { settings.rate($0) ?? 1 }
    // Totals by column and currency code, turned into totals by name after the scan.
    var cents = [Int64](repeating: 0, count: columns.count * currencies.count)
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let stage = stages[row]
      guard stage != StageHistory.noStage, columnOf[Int(stage)] >= 0 else { return }
      let column = columnOf[Int(stage)]
      columns[column].count += 1
      let amount = values[row]
      guard amount != DealTable.emptyMoney else { return }
      let code = Int(currencyCodes[row])
      cents[column * currencies.count + code] &+= amount
      var top = columns[column].top
      let weight = Double(amount) * rates[code]
      if top.count < topDeals || weight > top.last!.weight {
        let entry = (
          id: table.ids[row], name: table.text(.name, at: row) ?? "", cents: amount, currency: currencies[code],
          weight: weight
        )
        let place = top.firstIndex { weight > $0.weight } ?? top.count
        top.insert(entry, at: place)
        if top.count > topDeals { top.removeLast() }
        columns[column].top = top
      }
    }
    for column in columns.indices {
      columns[column].total = MoneyTotal(
        byCode: cents[column * currencies.count..<(column + 1) * currencies.count], names: currencies)
    }
    let name = catalog.pipelines[Int(pipeline)].name
    let finished = columns
    let others = catalog.livePipelineIDs.map { catalog.pipelines[Int($0)].name }.filter { $0 != name }
    return ReportResult(
      table: resultTable(columns, settings), json: json(name, asOf, columns, settings),
      text: { width in text(name, asOf, others, finished, settings, width: width) })
  }

  private static func resultTable(_ columns: [Column], _ settings: Settings) -> ResultTable {
    var rows: [[Value]] = []
    for column in columns {
      if let (cents, currency) = column.total.single(settings) {
        rows.append([.text(column.stage), .integer(Int64(column.count)), .money(cents), .text(currency)])
      } else {
        for currency in column.total.cents.keys.sorted() {
          rows.append([
            .text(column.stage), .integer(Int64(column.count)), .money(column.total.cents[currency]!), .text(currency),
          ])
        }
      }
    }
    return ResultTable(columns: ["stage", "count", "value", "currency"], rows: rows)
  }

  private static func json(_ pipeline: String, _ asOf: Day?, _ columns: [Column], _ settings: Settings) -> String {
    let stages = columns.map { column in
      let top = column.top.map { deal in
        JSONWriter.object([
          ("id", String(deal.id)), ("name", JSONWriter.quote(deal.name)), ("value", Money.plain(deal.cents)),
          ("currency", deal.currency.isEmpty ? "null" : JSONWriter.quote(deal.currency)),
        ])
      }
      return "    "
        + JSONWriter.object([
          ("stage", JSONWriter.quote(column.stage)), ("status", JSONWriter.quote(column.status.rawValue)),
          ("count", String(column.count)), ("value", column.total.json(settings)),
          ("top", "[" + top.joined(separator: ", ") + "]"),
        ])
    }
    var head: [(String, String)] = [("report", "\"board\""), ("pipeline", JSONWriter.quote(pipeline))]
    if let asOf { head.append(("as_of", JSONWriter.quote(asOf.description))) }
    head.append(("currency", settings.baseCurrency.map(JSONWriter.quote) ?? "null"))
    let opening = String(JSONWriter.object(head).dropLast())
    return opening + ", \"stages\": [\n" + stages.joined(separator: ",\n") + "\n]}\n"
  }

  /// Columns side by side, as many as fit the width; the rest continue below.
  private static func text(
    _ pipeline: String, _ asOf: Day?, _ others: [String], _ columns: [Column], _ settings: Settings, width: Int
  ) -> String {
    let gap = 2
    let columnWidth = max(16, min(28, (width - gap * (columns.count - 1)) / max(1, columns.count)))
    let perRow = max(1, (width + gap) / (columnWidth + gap))
    var out = "\(pipeline) pipeline" + (asOf.map { " as of \($0)" } ?? "") + "\n\n"
    for start in stride(from: 0, to: columns.count, by: perRow) {
      let group = Array(columns[start..<min(columns.count, start + perRow)])
      let heads = group.map { head($0, settings, width: columnWidth) }
      let headHeight = heads.map(\.count).max() ?? 0
      let cells = zip(group, heads).map { column, head in
        head + Array(repeating: "", count: headHeight - head.count) + [String(repeating: "─", count: columnWidth)]
          + deals(column, settings, width: columnWidth)
      }
      let height = cells.map(\.count).max() ?? 0
      for line in 0..<height {
        var text = ""
        for (index, cell) in cells.enumerated() {
          let part = line < cell.count ? cell[line] : ""
          text += index == cells.count - 1 ? part : part.padded(to: columnWidth + gap)
        }
        while text.last == " " { text.removeLast() }
        out += text + "\n"
      }
      out += "\n"
    }
    if !others.isEmpty { out += "other pipelines: \(others.joined(separator: ", ")) (board NAME)\n" }
    if columns.contains(where: { $0.total.single(settings) == nil }) {
      out += Reports.note(
        "values in several currencies are shown per currency; set .currency and .rate to convert", width: width)
    } else if columns.contains(where: { $0.total.isConverted(settings) }) {
      out += "values converted to \(settings.baseCurrency!) at the rates set with .rate\n"
    }
    return out
  }

  /// The stage, its count and its total (one line per currency when they cannot be added).
  private static func head(_ column: Column, _ settings: Settings, width: Int) -> [String] {
    var lines = [fit(column.stage, width), "\(Format.count(column.count)) \(column.count == 1 ? "deal" : "deals")"]
    if let (cents, currency) = column.total.single(settings) {
      lines.append(fit(MoneyTotal.compact(cents) + (currency.isEmpty ? "" : " " + currency), width))
    } else {
      for currency in column.total.cents.keys.sorted() {
        lines.append(fit(MoneyTotal.compact(column.total.cents[currency]!) + " " + currency, width))
      }
    }
    return lines
  }

  /// The largest deals, name then value (in the base currency when it converts).
  private static func deals(_ column: Column, _ settings: Settings, width: Int) -> [String] {
    column.top.map { deal in
      var one = MoneyTotal()
      one.add(deal.cents, currency: deal.currency)
      let amount = MoneyTotal.compact(one.single(settings)?.cents ?? deal.cents)
      return fit(deal.name, width - amount.count - 1).padded(to: width - amount.count) + amount
    }
  }

  static func fit(_ text: String, _ width: Int) -> String { text.fitted(to: width) }
}
