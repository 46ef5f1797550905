/// The health figures of one period, computed in one pass over the selected deals.
/// Definitions (shared/notes/metrics.md): revenue and wins count in the period a deal
/// closed; new deals in the period they were created; open pipeline is what was open at
/// the period's end (from the stage history when that end is past); the sales cycle is
/// created → closed over won deals.
struct PeriodFigures: Sendable {
  var period: Period
  var revenueWon = MoneyTotal()
  var wonCount = 0
  var lostCount = 0
  var newCount = 0
  var newValue = MoneyTotal()
  var openCount = 0
  var openValue = MoneyTotal()
  /// Weighted by stage probability, in cents (fractions kept until the end).
  var weightedCents: [String: Double] = [:]
  /// Open deals at or past qualified, for velocity.
  var qualifiedOpen = 0
  var cycleDays: [Int] = []
  var wonByAccount: [String: MoneyTotal] = [:]
  var createdBySource: [String: Int] = [:]
  var wonBySource: [String: MoneyTotal] = [:]
  var lostByReason: [String: Int] = [:]

  var winRate: Double? { wonCount + lostCount == 0 ? nil : Double(wonCount) / Double(wonCount + lostCount) }

  var weightedValue: MoneyTotal {
    var total = MoneyTotal()
    for (currency, cents) in weightedCents { total.add(Int64(cents.rounded()), currency: currency) }
    return total
  }

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

  init(period: Period) { self.period = period }

  /// Adds one deal. `stageAtEnd` is its stage when the period ended (`noStage`: it had
  /// not arrived).
  mutating func add(_ deal: DealRow, stageAtEnd: UInt16, _ context: HealthContext) {
    let first = period.first.number
    let last = period.last.number
    if deal.created != DealTable.emptyDay, deal.created >= first, deal.created <= last {
      newCount += 1
      if let cents = deal.cents { newValue.add(cents, currency: deal.currency) }
      createdBySource[deal.source, default: 0] += 1
    }
    let status = context.catalog.status(of: deal.stage)
    if status != .open, deal.closed != DealTable.emptyDay, deal.closed >= first, deal.closed <= last {
      if status == .won {
        wonCount += 1
        if let cents = deal.cents {
          revenueWon.add(cents, currency: deal.currency)
          wonByAccount[deal.account, default: MoneyTotal()].add(cents, currency: deal.currency)
          wonBySource[deal.source, default: MoneyTotal()].add(cents, currency: deal.currency)
        }
        if deal.created != DealTable.emptyDay { cycleDays.append(Int(deal.closed - deal.created)) }
      } else {
        lostCount += 1
        lostByReason[deal.lostReason, default: 0] += 1
      }
    }
    if stageAtEnd != StageHistory.noStage, context.catalog.status(of: stageAtEnd) == .open {
      openCount += 1
      if context.qualified[Int(stageAtEnd)] { qualifiedOpen += 1 }
      if let cents = deal.cents {
        openValue.add(cents, currency: deal.currency)
        weightedCents[deal.currency, default: 0] += Double(cents) * context.probability[Int(stageAtEnd)]
      }
    }
  }
}

/// One deal's fields as health reads them.
struct DealRow {
  var stage: UInt16
  var cents: Int64?
  var currency: String
  var account: String
  var source: String
  var lostReason: String
  var created: Int32
  var closed: Int32
}

/// Per stage id: probability and whether it is qualified or later (velocity's deals).
struct HealthContext: Sendable {
  var catalog: Pipelines
  var probability: [Double]
  var qualified: [Bool]

  init(_ catalog: Pipelines, _ settings: Settings) {
    self.catalog = catalog
    probability = catalog.stages.indices.map { settings.probability(of: UInt16($0), in: catalog) }
    var qualified = [Bool](repeating: false, count: catalog.stages.count)
    for pipeline in catalog.pipelines {
      let open = pipeline.stages.filter { catalog.status(of: $0) == .open }
      // At or past "qualified"; a pipeline without one: the later half of its open stages.
      let pivot = open.firstIndex { catalog.stages[Int($0)].name.folded == "qualified" } ?? open.count / 2
      for stage in open[min(pivot, open.count)...] { qualified[Int(stage)] = true }
    }
    self.qualified = qualified
  }
}
