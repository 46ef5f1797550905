/// A total of money kept per currency, so a report never adds dollars to euros: with a
/// base currency and a rate for each currency it converts; otherwise it shows each
/// currency's total.
public struct MoneyTotal: Sendable, Equatable {
  /// Cents by currency code ("" for deals with no currency).
  public var cents: [String: Int64] = [:]

  public init() {}

  /// A total from amounts a scan gathered by currency dictionary code (`names[code]`):
  /// an array slot per currency, so no currency name is hashed per deal.
  init(byCode amounts: ArraySlice<Int64>, names: [String]) {
    for (offset, amount) in amounts.enumerated() where amount != 0 {
      add(amount, currency: names[offset])
    }
  }

  mutating func add(_ amount: Int64, currency: String) { cents[currency, default: 0] &+= amount }

  mutating func add(_ other: MoneyTotal) {
    for (currency, amount) in other.cents { add(amount, currency: currency) }
  }

  /// One amount and its currency: the only currency there is, or every currency
  /// converted into the base. Nil when currencies differ and a rate is missing.
  public func single(_ settings: Settings) -> (cents: Int64, currency: String)? {
    if cents.isEmpty { return (0, settings.baseCurrency ?? "") }
    if cents.count == 1, settings.baseCurrency == nil { return (cents.first!.value, cents.first!.key) }
    guard let base = settings.baseCurrency else { return nil }
    var total = 0.0
    for (currency, amount) in cents {
      guard let rate = settings.rate(currency) else { return nil }
      total += Double(amount) * rate
    }
    // Rates can take a total past 64 bits: then it stays per currency.
    guard abs(total) < 9e18 else { return nil }
    return (Int64(total.rounded(.toNearestOrAwayFromZero)), base)
  }

  /// True when the single amount needed a conversion (reports say so).
  public func isConverted(_ settings: Settings) -> Bool {
    settings.baseCurrency != nil
      && cents.keys.contains { !$0.isEmpty && $0.uppercased() != settings.baseCurrency!.uppercased() }
  }

  /// `125,000 USD`, or each currency's total when they cannot be added: `80,000 EUR + 45,000 USD`.
  public func text(_ settings: Settings, compact: Bool = false) -> String {
    lines(settings, compact: compact).joined(separator: " + ")
  }

  /// The total as lines for a terminal: one line, or one per currency when they cannot be
  /// added (so `4,909 EUR + 24.3k USD` never reads as a sum).
  public func lines(_ settings: Settings, compact: Bool = false) -> [String] {
    let show = { (amount: Int64) in compact ? MoneyTotal.compact(amount) : Format.money(amount) }
    if let (amount, currency) = single(settings) {
      return [currency.isEmpty ? show(amount) : "\(show(amount)) \(currency)"]
    }
    return cents.keys.sorted().map { "\(show(cents[$0]!)) \($0.isEmpty ? "(none)" : $0)" }
  }

  /// A JSON number in the single currency, or an object of currency → amount.
  public func json(_ settings: Settings) -> String {
    if let (amount, _) = single(settings) { return Money.plain(amount) }
    return JSONWriter.object(cents.keys.sorted().map { ($0, Money.plain(cents[$0]!)) })
  }

  /// `950`, `12.5k`, `125k`, `1.2M`, `3.4B`: short enough for a board column.
  public static func compact(_ cents: Int64) -> String { Format.compact(Double(cents) / Double(Money.scale)) }
}
