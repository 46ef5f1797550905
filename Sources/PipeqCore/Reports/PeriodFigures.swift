/// The health figures of one period, computed in one pass over the selected deals.
/// Definitions (shared/notes/metrics.md): revenue and wins count in the period a deal
/// closed; new deals in the period they were created; open pipeline is what was open at
/// the period's end (from the stage history when that end is past); the sales cycle is
/// created → closed over won deals.
struct PeriodFigures: Sendable {
  var period: Period
  var wonCount = 0
  var lostCount = 0
  var newCount = 0
  var openCount = 0
  /// Deals parked (in the fridge) at the period's end: out of the open pipeline and the
  /// win rate, counted on their own.
  var parkedCount = 0
  /// Open deals at or past qualified, for velocity.
  var qualifiedOpen = 0
  var cycleDays: [Int] = []
  // Money and names are gathered by dictionary code (no string is hashed per deal),
  // then turned into totals by name.
  var revenueByCurrency: [Int64]
  var newByCurrency: [Int64]
  var openByCurrency: [Int64]
  var weightedByCurrency: [Double]
  var createdBySource: [Int]
  var lostByReason: [Int]
  /// Won cents by account (or source) code × currency count + currency code.
  var wonByAccountCode: [Int64]
  var wonBySourceCode: [Int64]
  /// Code → name, for the results.
  let names: HealthNames

  init(period: Period, names: HealthNames) {
    self.period = period
    self.names = names
    revenueByCurrency = [Int64](repeating: 0, count: names.currencies.count)
    newByCurrency = revenueByCurrency
    openByCurrency = revenueByCurrency
    weightedByCurrency = [Double](repeating: 0, count: names.currencies.count)
    createdBySource = [Int](repeating: 0, count: names.sources.count)
    lostByReason = [Int](repeating: 0, count: names.reasons.count)
    wonByAccountCode = [Int64](repeating: 0, count: names.accounts.count * names.currencies.count)
    wonBySourceCode = [Int64](repeating: 0, count: names.sources.count * names.currencies.count)
  }

  private func totals(_ byCode: [Int64], _ labels: PackedStrings) -> [String: MoneyTotal] {
    var result: [String: MoneyTotal] = [:]
    let currencies = names.currencies.count
    for code in labels.indices {
      let amounts = byCode[code * currencies..<(code + 1) * currencies]
      if amounts.contains(where: { $0 != 0 }) {
        result[labels[code], default: MoneyTotal()].add(MoneyTotal(byCode: amounts, names: names.currencies))
      }
    }
    return result
  }

  var revenueWon: MoneyTotal { MoneyTotal(byCode: revenueByCurrency[...], names: names.currencies) }
  var newValue: MoneyTotal { MoneyTotal(byCode: newByCurrency[...], names: names.currencies) }
  var openValue: MoneyTotal { MoneyTotal(byCode: openByCurrency[...], names: names.currencies) }
  var weightedValue: MoneyTotal {
    MoneyTotal(byCode: weightedByCurrency.map { Int64($0.rounded()) }[...], names: names.currencies)
  }
  /// The accounts that won the most, largest first, weighed from their codes' amounts
  /// (as `MoneyTotal.single` weighs a total, raw cents when it cannot convert) so that
  /// only the few shown become totals: a store has a hundred thousand accounts.
  func topWonAccounts(_ settings: Settings, top: Int) -> [Health.Ranked] {
    let currencies = names.currencies.count
    let rates = names.currencies.map { settings.rate($0) }
    var best: [(weight: Int64, code: Int)] = []
    func before(_ a: (weight: Int64, code: Int), _ b: (weight: Int64, code: Int)) -> Bool {
      a.weight != b.weight ? a.weight > b.weight : names.accounts[a.code] < names.accounts[b.code]
    }
    wonByAccountCode.withUnsafeBufferPointer { amounts in
      for code in names.accounts.indices {
        let slice = amounts[code * currencies..<(code + 1) * currencies]
        guard slice.contains(where: { $0 != 0 }) else { continue }
        let entry = (weight: PeriodFigures.weight(slice, rates, converting: settings.baseCurrency != nil), code: code)
        guard best.count < top || before(entry, best[best.count - 1]) else { continue }
        best.insert(entry, at: best.firstIndex { before(entry, $0) } ?? best.count)
        if best.count > top { best.removeLast() }
      }
    }
    return best.map { entry in
      let slice = wonByAccountCode[entry.code * currencies..<(entry.code + 1) * currencies]
      return Health.Ranked(
        name: names.accounts[entry.code], value: MoneyTotal(byCode: slice, names: names.currencies), count: 0)
    }
  }

  /// Amounts by currency code weighed into one number: converted with the rates when
  /// every currency has one, else their raw sum.
  private static func weight(_ amounts: some Collection<Int64>, _ rates: [Double?], converting: Bool) -> Int64 {
    let raw = amounts.reduce(0, &+)
    guard converting else { return raw }
    var total = 0.0
    for (offset, amount) in amounts.enumerated() where amount != 0 {
      guard let rate = rates[offset] else { return raw }
      total += Double(amount) * rate
    }
    return abs(total) < 9e18 ? Int64(total.rounded(.toNearestOrAwayFromZero)) : raw
  }
  var wonBySource: [String: MoneyTotal] { totals(wonBySourceCode, names.sources) }
  var createdBySourceName: [String: Int] {
    var result: [String: Int] = [:]
    for (code, count) in createdBySource.enumerated() where count > 0 {
      result[names.sources[code], default: 0] += count
    }
    return result
  }
  var lostByReasonName: [String: Int] {
    var result: [String: Int] = [:]
    for (code, count) in lostByReason.enumerated() where count > 0 { result[names.reasons[code], default: 0] += count }
    return result
  }

  var winRate: Double? { wonCount + lostCount == 0 ? nil : Double(wonCount) / Double(wonCount + lostCount) }

  /// Revenue won ÷ deals won, currency by currency.
  var averageWonValue: MoneyTotal? {
    guard wonCount > 0 else { return nil }
    var average = MoneyTotal()
    for (currency, cents) in revenueWon.cents { average.add(cents / Int64(wonCount), currency: currency) }
    return average
  }

  var averageCycleDays: Double? {
    cycleDays.isEmpty ? nil : Double(cycleDays.reduce(0, +)) / Double(cycleDays.count)
  }

  var medianCycleDays: Double? {
    guard !cycleDays.isEmpty else { return nil }
    let sorted = cycleDays.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
  }

  /// Open qualified-or-later deals × win rate × average won value ÷ average cycle days:
  /// money per day, currency by currency.
  var velocityPerDay: MoneyTotal? {
    guard let winRate, let average = averageWonValue, let days = averageCycleDays, days > 0 else { return nil }
    var velocity = MoneyTotal()
    for (currency, cents) in average.cents {
      velocity.add(Int64((Double(qualifiedOpen) * winRate * Double(cents) / days).rounded()), currency: currency)
    }
    return velocity
  }

  /// Adds one deal. `stageAtEnd` is its stage when the period ended (`noStage`: it had
  /// not arrived).
  mutating func add(_ deal: DealRow, stageAtEnd: UInt16, _ context: HealthContext) {
    let first = period.first.number
    let last = period.last.number
    if deal.created != DealTable.emptyDay, deal.created >= first, deal.created <= last {
      newCount += 1
      if let cents = deal.cents { newByCurrency[deal.currency] &+= cents }
      createdBySource[deal.source] += 1
    }
    let status = context.catalog.status(of: deal.stage)
    if status == .won || status == .lost, deal.closed != DealTable.emptyDay, deal.closed >= first, deal.closed <= last {
      if status == .won {
        wonCount += 1
        if let cents = deal.cents {
          revenueByCurrency[deal.currency] &+= cents
          let currencies = names.currencies.count
          wonByAccountCode[deal.account * currencies + deal.currency] &+= cents
          wonBySourceCode[deal.source * currencies + deal.currency] &+= cents
        }
        if deal.created != DealTable.emptyDay { cycleDays.append(Int(deal.closed - deal.created)) }
      } else {
        lostCount += 1
        lostByReason[deal.reason] += 1
      }
    }
    if stageAtEnd != StageHistory.noStage, context.catalog.status(of: stageAtEnd) == .parked { parkedCount += 1 }
    if stageAtEnd != StageHistory.noStage, context.catalog.status(of: stageAtEnd) == .open {
      openCount += 1
      if context.qualified[Int(stageAtEnd)] { qualifiedOpen += 1 }
      if let cents = deal.cents {
        openByCurrency[deal.currency] &+= cents
        weightedByCurrency[deal.currency] += Double(cents) * context.probability[Int(stageAtEnd)]
      }
    }
  }
}

/// One deal's fields as health reads them: codes, not strings.
struct DealRow {
  var stage: UInt16
  var cents: Int64?
  var currency: Int
  var account: Int
  var source: Int
  var reason: Int
  var created: Int32
  var closed: Int32
}

/// The dictionaries' strings the codes stand for.
struct HealthNames: Sendable {
  var currencies: [String]
  var accounts: PackedStrings
  var sources: PackedStrings
  var reasons: PackedStrings
}

/// Per stage id: probability and whether it is qualified or later (velocity's deals).
struct HealthContext: Sendable {
  var catalog: Pipelines
  var probability: [Double]
  var qualified: [Bool]

  init(_ table: DealTable) {
    let catalog = table.pipelines
    self.catalog = catalog
    probability = table.stageProbabilities()
    var qualified = [Bool](repeating: false, count: catalog.stages.count)
    for pipeline in catalog.pipelines where !pipeline.isRemoved {
      let open = pipeline.stages.filter { catalog.status(of: $0) == .open }
      // At or past "qualified"; a pipeline without one: the later half of its open stages.
      let pivot = open.firstIndex { catalog.stages[Int($0)].name.folded == "qualified" } ?? open.count / 2
      for stage in open[min(pivot, open.count)...] { qualified[Int(stage)] = true }
    }
    self.qualified = qualified
  }
}
