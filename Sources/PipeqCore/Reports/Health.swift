/// The revenue dashboard: each figure for the period and the period before it, with the
/// change.
enum Health {
  static let top = 5

  static func run(
    period: Period?, _ filter: FilterPlan, _ table: DealTable, _ today: Day, _ settings: Settings
  ) -> ReportResult {
    let period =
      period ?? Period(first: today.adding(days: -30), last: today, name: "last 30d", step: nil)
    let (current, previous) = figures(filter, table, today, period)
    // Every figure once (the medians sort), then three renderings of them.
    let computed = lines(current, previous)
    return ReportResult(
      table: resultTable(computed, settings), json: json(current, previous, computed, settings),
      text: { width in text(current, previous, computed, settings, width: width) })
  }

  /// Both periods' figures in one pass over the selected deals.
  static func figures(_ filter: FilterPlan, _ table: DealTable, _ today: Day, _ period: Period)
    -> (PeriodFigures, PeriodFigures)
  {
    let context = HealthContext(table)
    let names = HealthNames(
      currencies: Reports.currencyNames(table), accounts: table.textColumn(.account).dictionary.strings,
      sources: table.textColumn(.source).dictionary.strings, reasons: table.textColumn(.lostReason).dictionary.strings)
    var current = PeriodFigures(period: period, names: names)
    var previous = PeriodFigures(period: period.previous, names: names)
    // Open pipeline at each period's end: today's stages, or the history's for a past day.
    let now = table.stage
    let currentEnd = period.last < today ? table.history.stages(asOf: period.last, in: table) : now
    let previousEnd =
      period.previous.last < today ? table.history.stages(asOf: period.previous.last, in: table) : now
    let (values, currencies, accounts) = (
      table.value, table.textColumn(.currency).codes, table.textColumn(.account).codes
    )
    let (sources, reasons) = (table.textColumn(.source).codes, table.textColumn(.lostReason).codes)
    let (created, closed) = (table.dateColumn(.created), table.dateColumn(.closed))
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let cents = values[row]
      let deal = DealRow(
        stage: now[row], cents: cents == DealTable.emptyMoney ? nil : cents, currency: Int(currencies[row]),
        account: Int(accounts[row]), source: Int(sources[row]), reason: Int(reasons[row]),
        created: created[row], closed: closed[row])
      current.add(deal, stageAtEnd: currentEnd[row], context)
      previous.add(deal, stageAtEnd: previousEnd[row], context)
    }
    return (current, previous)
  }

  /// Label, then how each period's value reads and the number compared (nil: none).
  struct Line {
    var label: String
    var key: String
    var current: Figure
    var previous: Figure
  }

  enum Figure {
    case count(Int)
    case money(MoneyTotal?)
    case ratio(Double?)
    case days(Double?)

    func number(_ settings: Settings) -> Double? {
      switch self {
      case .count(let n): return Double(n)
      case .money(let total): return total?.single(settings).map { Double($0.cents) }
      case .ratio(let value), .days(let value): return value
      }
    }

    /// The figure for a terminal: money in several currencies is a line per currency.
    func lines(_ settings: Settings) -> [String] {
      if case .money(let total?) = self { return total.lines(settings, compact: true) }
      return [text(settings)]
    }

    func text(_ settings: Settings) -> String {
      switch self {
      case .count(let n): return Format.count(n)
      case .money(let total): return total.map { $0.text(settings, compact: true) } ?? "–"
      case .ratio(let value): return value.map { Settings.percent($0) } ?? "–"
      case .days(let value): return value.map { Format.tenths($0) + " d" } ?? "–"
      }
    }

    func json(_ settings: Settings) -> String {
      switch self {
      case .count(let n): return String(n)
      case .money(let total): return total?.json(settings) ?? "null"
      case .ratio(let value): return value.map { String(($0 * 10_000).rounded() / 10_000) } ?? "null"
      case .days(let value): return value.map { Format.tenths($0) } ?? "null"
      }
    }
  }

  static func lines(_ current: PeriodFigures, _ previous: PeriodFigures) -> [Line] {
    func line(_ label: String, _ key: String, _ figure: (PeriodFigures) -> Figure) -> Line {
      Line(label: label, key: key, current: figure(current), previous: figure(previous))
    }
    return [
      line("revenue won", "revenue_won") { .money($0.revenueWon) },
      line("deals won", "won_count") { .count($0.wonCount) },
      line("deals lost", "lost_count") { .count($0.lostCount) },
      line("win rate", "win_rate") { .ratio($0.winRate) },
      line("average won deal", "avg_won_value") { .money($0.averageWonValue) },
      line("average sales cycle", "avg_cycle_days") { .days($0.averageCycleDays) },
      line("median sales cycle", "median_cycle_days") { .days($0.medianCycleDays) },
      line("new deals", "new_count") { .count($0.newCount) },
      line("new pipeline", "new_value") { .money($0.newValue) },
      line("open deals at the end", "open_count") { .count($0.openCount) },
      line("open pipeline", "open_value") { .money($0.openValue) },
      line("weighted pipeline", "weighted_value") { .money($0.weightedValue) },
      line("parked deals", "parked_count") { .count($0.parkedCount) },
      line("velocity per day", "velocity_per_day") { .money($0.velocityPerDay) },
    ]
  }

  /// (current − previous) ÷ previous; nil when either is missing or previous is zero.
  static func change(_ line: Line, _ settings: Settings) -> Double? {
    guard let now = line.current.number(settings), let before = line.previous.number(settings), before != 0 else {
      return nil
    }
    return (now - before) / abs(before)
  }

  static func changeText(_ change: Double?) -> String {
    guard let change else { return "" }
    let percent = Format.tenths(abs(change) * 100)
    return percent == "0" ? "±0%" : (change > 0 ? "+" : "−") + percent + "%"
  }

  // MARK: Top lists

  struct Ranked {
    var name: String
    var value: MoneyTotal
    var count: Int
  }

  static func sources(_ figures: PeriodFigures, _ settings: Settings) -> [Ranked] {
    // By deals created, then by won revenue.
    let (created, won) = (figures.createdBySourceName, figures.wonBySource)
    let keys = Set(created.keys).union(won.keys)
    let items = keys.map {
      Ranked(name: $0, value: won[$0] ?? MoneyTotal(), count: created[$0] ?? 0)
    }
    return Array(
      items.sorted { a, b in
        if a.count != b.count { return a.count > b.count }
        let (wa, wb) = (a.value.single(settings)?.cents ?? 0, b.value.single(settings)?.cents ?? 0)
        return wa != wb ? wa > wb : a.name < b.name
      }.prefix(top))
  }

  static func reasons(_ figures: PeriodFigures) -> [(String, Int)] {
    Array(
      figures.lostByReasonName.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top).map {
        ($0.key, $0.value)
      })
  }

  static func label(_ name: String) -> String { name.isEmpty ? "(none)" : name }

  // MARK: Rendering

  /// The figures as columns: labels left, figures right, a cell in several currencies
  /// on a line per currency.
  private static func figures(_ headers: [[String]], _ rows: [[[String]]]) -> String {
    let widths = (0..<4).map { column in
      (rows + [headers]).flatMap { $0[column] }.map(\.displayWidth).max() ?? 0
    }
    var out = ""
    for row in [headers] + rows {
      for index in 0..<(row.map(\.count).max() ?? 1) {
        var text = (index < row[0].count ? row[0][index] : "").padded(to: widths[0])
        for column in 1..<4 {
          let cell = index < row[column].count ? row[column][index] : ""
          text += "  " + String(repeating: " ", count: widths[column] - cell.displayWidth) + cell
        }
        while text.last == " " { text.removeLast() }
        out += text + "\n"
      }
    }
    return out
  }

  /// A top list: each name cut to what the width leaves beside the figures (at most
  /// 40), a name's figure lines under its first.
  static func listed(_ items: [(name: String, figures: [String])], width: Int) -> String {
    let widest = items.flatMap(\.figures).map(\.displayWidth).max() ?? 0
    let room = max(8, min(40, width - 4 - widest))
    return items.map { item in
      item.figures.enumerated().map { index, figure in
        "  " + (index == 0 ? item.name.fitted(to: room) : "").padded(to: room) + "  " + figure + "\n"
      }.joined()
    }.joined()
  }

  static func text(
    _ current: PeriodFigures, _ previous: PeriodFigures, _ computed: [Line], _ settings: Settings, width: Int
  ) -> String {
    let period = current.period
    var out = "pipeline health: \(period.name) (\(period.first) to \(period.last))\n"
    out += "compared with \(previous.period.first) to \(previous.period.last)\n\n"
    let rows = computed.map { line in
      [[line.label], line.current.lines(settings), line.previous.lines(settings), [changeText(change(line, settings))]]
    }
    out += figures([[""], ["this period"], ["previous"], ["change"]], rows)
    let accounts = current.topWonAccounts(settings, top: top)
    if !accounts.isEmpty {
      out += "\ntop accounts by revenue won\n"
      out += listed(accounts.map { (label($0.name), $0.value.lines(settings, compact: true)) }, width: width)
    }
    let sources = sources(current, settings)
    if !sources.isEmpty {
      out += "\ntop sources: deals created, revenue won\n"
      out += listed(
        sources.map { item in
          let amounts = item.value.lines(settings, compact: true)
          return (
            label(item.name),
            amounts.enumerated().map { ($0 == 0 ? Format.count(item.count) : "").padded(to: 6) + "  " + $1 }
          )
        }, width: width)
    }
    let lost = reasons(current)
    if !lost.isEmpty {
      out += "\ntop lost reasons\n"
      out += listed(lost.map { (label($0.0), [Format.count($0.1)]) }, width: width)
    }
    if computed.contains(where: {
      if case .money(let total?) = $0.current { return total.single(settings) == nil }
      return false
    }) {
      out += "\n" + Reports.note("money is shown per currency: set .currency and .rate to convert", width: width)
    } else if computed.contains(where: {
      if case .money(let total?) = $0.current { return total.isConverted(settings) }
      return false
    }) {
      out += "\nmoney converted to \(settings.baseCurrency!) at the rates set with .rate\n"
    }
    return out
  }

  static func resultTable(_ computed: [Line], _ settings: Settings) -> ResultTable {
    let rows = computed.map { line -> [Value] in
      [
        .text(line.key), .text(line.current.json(settings)), .text(line.previous.json(settings)),
        change(line, settings).map { .number(($0 * 1000).rounded() / 1000) } ?? .empty,
      ]
    }
    return ResultTable(columns: ["metric", "current", "previous", "change"], rows: rows)
  }

  static func json(_ current: PeriodFigures, _ previous: PeriodFigures, _ computed: [Line], _ settings: Settings)
    -> String
  {
    func object(_ figures: PeriodFigures, _ figureOf: (Line) -> Figure) -> [(String, String)] {
      var pairs: [(String, String)] = [
        ("first_day", JSONWriter.quote(figures.period.first.description)),
        ("last_day", JSONWriter.quote(figures.period.last.description)),
      ]
      pairs += computed.map { ($0.key, figureOf($0).json(settings)) }
      pairs.append(
        (
          "top_accounts",
          "["
            + figures.topWonAccounts(settings, top: top).map {
              JSONWriter.object([("account", JSONWriter.quote($0.name)), ("revenue_won", $0.value.json(settings))])
            }.joined(separator: ", ") + "]"
        ))
      pairs.append(
        (
          "top_sources",
          "["
            + sources(figures, settings).map {
              JSONWriter.object([
                ("source", $0.name.isEmpty ? "null" : JSONWriter.quote($0.name)), ("new_count", String($0.count)),
                ("revenue_won", $0.value.json(settings)),
              ])
            }.joined(separator: ", ") + "]"
        ))
      pairs.append(
        (
          "top_lost_reasons",
          "["
            + reasons(figures).map {
              JSONWriter.object([("reason", $0.0.isEmpty ? "null" : JSONWriter.quote($0.0)), ("count", String($0.1))])
            }.joined(separator: ", ") + "]"
        ))
      return pairs
    }
    var pairs: [(String, String)] = [
      ("report", "\"health\""), ("period", JSONWriter.quote(current.period.name)),
      ("currency", settings.baseCurrency.map(JSONWriter.quote) ?? "null"),
    ]
    pairs += object(current) { $0.current }
    pairs.append(("previous", JSONWriter.object(object(previous) { $0.previous })))
    return JSONWriter.object(pairs) + "\n"
  }
}
