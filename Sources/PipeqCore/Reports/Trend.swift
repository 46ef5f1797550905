/// `trend FIELD by UNIT[(DATE-FIELD)] [PERIOD]`: a figure per calendar period, drawn as a
/// sparkline and bars. `count` counts deals; money sums (per currency unless rates
/// convert); other numbers average. Deals are placed by the date field (created unless
/// named); every period in the range is shown, empty ones as zero.
enum Trend {
  struct Bucket: Sendable {
    var label: String
    var count = 0
    var money = MoneyTotal()
    var sum = 0.0
    var numbers = 0
  }

  /// The last 12 weeks or months, 8 quarters or 5 years, up to the current one.
  static func defaultPeriod(_ unit: Period.Unit, _ today: Day) -> Period {
    let current = Period.calendar(unit, holding: today, name: "")
    let first: Day
    switch unit {
    case .week: first = current.first.adding(days: -7 * 11)
    case .month: first = current.first.adding(months: -11)
    case .quarter: first = current.first.adding(months: -21)
    case .year: first = current.first.adding(months: -48)
    }
    return Period(
      first: first, last: current.last,
      name: "the last \(unit == .quarter ? 8 : unit == .year ? 5 : 12) \(unit.rawValue)s", step: nil)
  }

  static func run(
    _ plan: TrendPlan, _ filter: FilterPlan, _ table: DealTable, _ today: Day, _ settings: Settings
  ) -> ReportResult {
    let unit = plan.unit
    let period = plan.period ?? defaultPeriod(unit, today)
    // One bucket per calendar period touching the range, in time order.
    var buckets: [Bucket] = []
    var index: [String: Int] = [:]
    var day = Period.calendar(unit, holding: period.first, name: "").first
    while day <= period.last {
      let label = Period.label(unit, holding: day)
      index[label] = buckets.count
      buckets.append(Bucket(label: label))
      guard let next = Period.calendar(unit, holding: day, name: "").last.offset(days: 1) else { break }
      day = next
    }
    let dates = table.dateColumn(plan.date)
    let currencies = Reports.currencyNames(table)
    // Each day of the range's bucket, labelled once; money by bucket and currency code.
    let slotOfDay = (0..<period.days).map { index[Period.label(unit, holding: period.first.adding(days: $0))]! }
    var cents = [Int64](repeating: 0, count: buckets.count * currencies.count)
    let read = plan.field.map { table.reader(for: $0, today: today) }
    let (first, last) = (period.first.number, period.last.number)
    let currencyCodes = table.textColumn(.currency).codes
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let date = dates[row]
      guard date != DealTable.emptyDay, date >= first, date <= last else { return }
      let slot = slotOfDay[Int(date - first)]
      buckets[slot].count += 1
      guard let read else { return }
      if plan.field == .value {
        let amount = table.value[row]
        if amount != DealTable.emptyMoney { cents[slot * currencies.count + Int(currencyCodes[row])] &+= amount }
      } else if let number = number(read(row)) {
        buckets[slot].sum += number
        buckets[slot].numbers += 1
      }
    }
    for slot in buckets.indices {
      buckets[slot].money = MoneyTotal(
        byCode: cents[slot * currencies.count..<(slot + 1) * currencies.count], names: currencies)
    }
    return render(plan, period, buckets, settings)
  }

  static func number(_ value: Value) -> Double? {
    switch value {
    case .integer(let n): return Double(n)
    case .days(let n): return Double(n)
    case .number(let n): return n
    default: return nil
    }
  }

  /// The series to draw: one, or one per currency when money cannot be converted.
  static func series(_ plan: TrendPlan, _ buckets: [Bucket], _ settings: Settings) -> [(
    name: String, values: [Double?]
  )] {
    guard let field = plan.field else { return [("count", buckets.map { Double($0.count) })] }
    if field != .value {
      return [("avg \(field.rawValue)", buckets.map { $0.numbers == 0 ? nil : $0.sum / Double($0.numbers) })]
    }
    var all = MoneyTotal()
    for bucket in buckets { all.add(bucket.money) }
    if let (_, currency) = all.single(settings) {
      return [
        (
          "sum value" + (currency.isEmpty ? "" : " (\(currency))"),
          buckets.map { (Double($0.money.single(settings)?.cents ?? 0) / Double(Money.scale)).rounded() }
        )
      ]
    }
    return all.cents.keys.sorted().map { currency in
      (
        "sum value (\(currency.isEmpty ? "no currency" : currency))",
        buckets.map { (Double($0.money.cents[currency] ?? 0) / Double(Money.scale)).rounded() }
      )
    }
  }

  static func render(_ plan: TrendPlan, _ period: Period, _ buckets: [Bucket], _ settings: Settings) -> ReportResult {
    let series = series(plan, buckets, settings)
    let unit = plan.unit.rawValue
    let date = plan.date.rawValue
    var columns = [unit]
    columns += series.map { $0.name.replacingOccurrences(of: " ", with: "_") }
    let rows: [[Value]] = buckets.indices.map { index in
      [.text(buckets[index].label)]
        + series.map { one in one.values[index].map { .number(($0 * 100).rounded() / 100) } ?? .empty }
    }
    let result = ResultTable(columns: columns, rows: rows)
    let json =
      JSONWriter.object([
        ("report", "\"trend\""), ("by", JSONWriter.quote("\(unit)(\(date))")),
        ("first_day", JSONWriter.quote(period.first.description)),
        ("last_day", JSONWriter.quote(period.last.description)),
        (
          "series",
          "["
            + series.map { one in
              JSONWriter.object([
                ("name", JSONWriter.quote(one.name)),
                (
                  "points",
                  "["
                    + zip(buckets, one.values).map { bucket, value in
                      JSONWriter.object([
                        ("period", JSONWriter.quote(bucket.label)),
                        ("value", value.map { Format.tenths($0) } ?? "null"),
                      ])
                    }.joined(separator: ", ") + "]"
                ),
              ])
            }.joined(separator: ", ") + "]"
        ),
      ]) + "\n"
    return ReportResult(
      table: result, json: json,
      text: { width in
        var out = "trend by \(unit) of \(date): \(period.first) to \(period.last)\n"
        for one in series { out += "\n" + chart(one.name, buckets.map(\.label), one.values, width: width) }
        return out
      })
  }

  static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// A sparkline of the series, then a bar per period with its value.
  static func chart(_ name: String, _ labels: [String], _ values: [Double?], width: Int) -> String {
    let top = values.compactMap { $0 }.max() ?? 0
    let spark = String(
      values.map { value -> Character in
        guard let value, top > 0 else { return " " }
        return blocks[min(7, Int((value / top * 7).rounded()))]
      })
    var out = "\(name)  \(spark)\n"
    let texts = values.map { $0.map { Format.tenths($0, grouped: true) } ?? "–" }
    let labelWidth = labels.map(\.count).max() ?? 0
    let textWidth = texts.map(\.count).max() ?? 0
    let barWidth = max(8, min(50, width - labelWidth - textWidth - 6))
    for (index, label) in labels.enumerated() {
      let length = top > 0 ? Int(((values[index] ?? 0) / top * Double(barWidth)).rounded()) : 0
      out +=
        label.padded(to: labelWidth) + "  " + String(repeating: "█", count: length)
        + String(repeating: " ", count: barWidth - length) + "  "
        + String(repeating: " ", count: textWidth - texts[index].count) + texts[index] + "\n"
    }
    return out
  }
}
