/// Per owner: open deals and value, revenue won, deals won and lost and the win rate in
/// the period, and abandoned deals (open, idle past the stage's rotting limit).
enum Team {
  struct Member: Sendable {
    var owner: String
    var open = 0
    var openValue = MoneyTotal()
    var won = 0
    var lost = 0
    var revenueWon = MoneyTotal()
    var abandoned = 0
    var winRate: Double? { won + lost == 0 ? nil : Double(won) / Double(won + lost) }
  }

  static func run(
    period: Period?, _ filter: FilterPlan, _ table: DealTable, _ today: Day, _ settings: Settings
  ) -> ReportResult {
    let period =
      period ?? Period(first: today.adding(days: -30), last: today, name: "last 30d", step: nil)
    let main = Reports.mainCurrency(table)
    let team = members(filter, table, today, period, settings, orderedBy: main)
    return result(team, period, settings, main: main)
  }

  /// The owners of the filtered deals, by revenue won (converted when rates are set,
  /// else in the store's main currency), owners without a name last.
  private static func members(
    _ filter: FilterPlan, _ table: DealTable, _ today: Day, _ period: Period, _ settings: Settings,
    orderedBy main: String?
  ) -> [Member] {
    let catalog = table.pipelines
    let limits = catalog.stages.indices.map { settings.rotting(of: UInt16($0), in: catalog) }
    let ownerColumn = table.textColumn(.owner)
    let currencyCodes = table.textColumn(.currency).codes
    let owners = ownerColumn.dictionary.strings
    let currencies = Reports.currencyNames(table)
    var members = owners.map { Member(owner: $0) }
    var seen = [Bool](repeating: false, count: owners.count)
    // Money by owner and currency code during the scan; by name after it.
    var openCents = [Int64](repeating: 0, count: owners.count * currencies.count)
    var wonCents = openCents
    // Owners are grouped as `by owner` groups them: `Bob` and `bob` are one.
    let spelling = Executor.foldedCodes(ownerColumn)
    let closedDays = table.dateColumn(.closed)
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let owner = spelling[Int(ownerColumn.codes[row])]
      seen[owner] = true
      let stage = table.stage[row]
      let cents = table.value[row]
      let slot = owner * currencies.count + Int(currencyCodes[row])
      switch catalog.status(of: stage) {
      case .open:
        members[owner].open += 1
        if cents != DealTable.emptyMoney { openCents[slot] &+= cents }
        if let idle = Stale.idleDays(row, table, today), idle > limits[Int(stage)] { members[owner].abandoned += 1 }
      case .won, .lost:
        let closed = closedDays[row]
        guard closed != DealTable.emptyDay, period.contains(Day(number: closed)) else { return }
        if catalog.status(of: stage) == .won {
          members[owner].won += 1
          if cents != DealTable.emptyMoney { wonCents[slot] &+= cents }
        } else {
          members[owner].lost += 1
        }
      case .parked:
        break
      }
    }
    for owner in members.indices where seen[owner] {
      let slots = owner * currencies.count..<(owner + 1) * currencies.count
      members[owner].openValue = MoneyTotal(byCode: openCents[slots], names: currencies)
      members[owner].revenueWon = MoneyTotal(byCode: wonCents[slots], names: currencies)
    }
    // Converted when a base currency is set; else the main currency's part, so every
    // owner is compared in the same currency.
    func won(_ member: Member) -> Int64 {
      if settings.baseCurrency != nil, let converted = member.revenueWon.single(settings) { return converted.cents }
      return main.map { member.revenueWon.cents[$0] ?? 0 } ?? member.revenueWon.single(settings)?.cents ?? 0
    }
    return members.indices.filter { seen[$0] }.map { members[$0] }.sorted { a, b in
      let (wa, wb) = (won(a), won(b))
      if wa != wb { return wa > wb }
      // Equal in that currency (none won in it): more deals won first.
      if a.won != b.won { return a.won > b.won }
      if a.owner.isEmpty != b.owner.isEmpty { return b.owner.isEmpty }
      return a.owner < b.owner
    }
  }

  private static let columns = [
    "owner", "open_count", "open_value", "revenue_won", "won_count", "lost_count", "win_rate", "abandoned",
  ]

  /// The team as a table for machines, one for people, and JSON.
  private static func result(_ team: [Member], _ period: Period, _ settings: Settings, main: String?)
    -> ReportResult
  {
    func row(_ member: Member, money: (MoneyTotal) -> Value) -> [Value] {
      [
        member.owner.isEmpty ? .empty : .text(member.owner), .integer(Int64(member.open)), money(member.openValue),
        money(member.revenueWon), .integer(Int64(member.won)), .integer(Int64(member.lost)),
        member.winRate.map { .number(($0 * 1000).rounded() / 1000) } ?? .empty, .integer(Int64(member.abandoned)),
      ]
    }
    let machine = ResultTable(columns: columns, rows: team.map { row($0) { .text($0.json(settings)) } })
    var people = ResultTable(
      columns: ["owner", "open", "open value", "won value", "won", "lost", "win rate", "abandoned"],
      rows: team.map { member in
        var values = row(member) { .text($0.lines(settings, compact: true).joined(separator: "\n")) }
        if member.owner.isEmpty { values[0] = .text("(none)") }
        values[6] = member.winRate.map { .text(Settings.percent($0)) } ?? .empty
        return values
      })
    people.leaveOut = ["abandoned", "lost", "open"]
    let json = Self.json(machine, period, settings)
    let totals = team.flatMap { [$0.openValue, $0.revenueWon] }
    let note =
      totals.contains { $0.single(settings) == nil }
      ? "values in several currencies are shown a line per currency, owners ordered by won value in "
        + "\(main ?? "the main currency"), the currency most deals are in; set .currency and .rate to convert"
      : totals.contains { $0.isConverted(settings) }
        ? "values converted to \(settings.baseCurrency!) at the rates set with .rate" : ""
    return ReportResult(
      table: machine, json: json,
      text: { [people] width in
        Reports.note(
          "team: \(period.name) (\(period.first) to \(period.last)); open and abandoned deals as of today",
          width: width) + "\n"
          + TableRenderer(maxWidth: width).render(people) + (note.isEmpty ? "" : Reports.note(note, width: width))
      })
  }

  private static func json(_ machine: ResultTable, _ period: Period, _ settings: Settings) -> String {
    JSONWriter.object([
      ("report", "\"team\""), ("period", JSONWriter.quote(period.name)),
      ("first_day", JSONWriter.quote(period.first.description)),
      ("last_day", JSONWriter.quote(period.last.description)),
      ("currency", settings.baseCurrency.map(JSONWriter.quote) ?? "null"),
      (
        "owners",
        "["
          + machine.rows.map { values in
            JSONWriter.object(
              zip(columns, values).map { column, value in
                (
                  column,
                  column.hasSuffix("value") || column == "revenue_won"
                    ? ValueFormatter.plain(value) : JSONWriter.json(value)
                )
              })
          }.joined(separator: ", ") + "]"
      ),
    ]) + "\n"
  }
}
