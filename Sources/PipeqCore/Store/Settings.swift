/// Report settings kept in the store beside saved queries, under names a saved query
/// cannot have (they start with a dot): the base currency and exchange rates, and per
/// stage the win probability and the days after which an idle deal is rotting. Setting
/// one is journaled and undoable like `define`.
public struct Settings: Sendable, Equatable {
  public var baseCurrency: String?
  /// Units of the base currency one unit of each currency is worth.
  public var rates: [String: Double] = [:]
  /// Folded stage name → probability (0…1).
  public var probabilities: [String: Double] = [:]
  /// Folded stage name → days.
  public var rottingDays: [String: Int] = [:]

  public static let defaultProbabilities: [String: Double] = [
    "lead": 0.1, "contacted": 0.2, "qualified": 0.4, "proposal": 0.6, "won": 1, "lost": 0,
  ]
  public static let defaultRottingDays = 30

  static let currencyKey = ".currency"
  static func rateKey(_ currency: String) -> String { ".rate." + currency.uppercased() }
  static func probabilityKey(_ stage: String) -> String { ".probability." + stage.folded }
  static func rottingKey(_ stage: String) -> String { ".rotting." + stage.folded }

  /// True for a definitions key that holds a setting, not a saved query.
  static func isSetting(_ key: String) -> Bool { key.hasPrefix(".") }

  /// The dot-commands that set these settings again (`.export-defs` writes them).
  var commands: [String] {
    var lines: [String] = []
    if let baseCurrency { lines.append(".currency \(baseCurrency)") }
    lines += rates.keys.sorted().map { ".rate \($0) \(rates[$0]!)" }
    lines += probabilities.keys.sorted().map { ".probability \($0) \(Settings.percent(probabilities[$0]!))" }
    lines += rottingDays.keys.sorted().map { ".rotting \($0) \(rottingDays[$0]!)d" }
    return lines
  }

  public init(definitions: [String: String]) {
    for (key, text) in definitions where Settings.isSetting(key) {
      if key == Settings.currencyKey {
        baseCurrency = text
      } else if key.hasPrefix(".rate."), let rate = Double(text) {
        rates[String(key.dropFirst(6))] = rate
      } else if key.hasPrefix(".probability."), let probability = Double(text) {
        probabilities[String(key.dropFirst(13))] = probability
      } else if key.hasPrefix(".rotting."), let days = Int(text) {
        rottingDays[String(key.dropFirst(9))] = days
      }
    }
  }

  /// A stage's win probability: its own, else set for its name (`.probability` in older
  /// stores), else the default for its name (won 100%, lost and parked 0%), else by its
  /// place among its pipeline's open stages (evenly between 10% and 60%). A parked stage
  /// is out of the weighted pipeline whatever is set.
  public func probability(of stage: UInt16, in catalog: Pipelines) -> Double {
    let info = catalog.stages[Int(stage)]
    if info.kind == .parked { return 0 }
    if let own = info.probability { return own }
    if let set = probabilities[info.name.folded] { return set }
    switch catalog.status(of: stage) {
    case .won: return 1
    case .lost, .parked: return 0
    case .open:
      if let known = Settings.defaultProbabilities[info.name.folded] { return known }
      let open = catalog.pipelines[Int(info.pipeline)].stages.filter { catalog.status(of: $0) == .open }
      let place = open.firstIndex(of: stage) ?? 0
      return open.count < 2 ? 0.1 : 0.1 + 0.5 * Double(place) / Double(open.count - 1)
    }
  }

  /// Days idle after which an open deal in this stage is rotting: its own, else set for
  /// its name, else the default.
  public func rotting(of stage: UInt16, in catalog: Pipelines) -> Int {
    let info = catalog.stages[Int(stage)]
    return info.rottingDays ?? rottingDays[info.name.folded] ?? Settings.defaultRottingDays
  }

  /// `55%`, `12.5%`.
  static func percent(_ fraction: Double) -> String { Format.tenths(fraction * 100) + "%" }

  /// The rate of a currency into the base; the base itself and deals with no currency
  /// count at 1. Nil without a base currency or a rate.
  func rate(_ currency: String) -> Double? {
    guard let base = baseCurrency else { return nil }
    if currency.isEmpty || currency.uppercased() == base.uppercased() { return 1 }
    return rates[currency.uppercased()]
  }
}
