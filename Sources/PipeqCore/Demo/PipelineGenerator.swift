import Foundation

/// Generates a realistic, deterministic pipeline: the same seed and day always give the
/// same deals. Used by `make run`'s demo store, the tests and the benchmark.
public struct PipelineGenerator {
  public var seed: UInt64
  public var today: Day
  /// Gives every deal its own name (its number after the account and product), as a
  /// CRM's export has; the rest of each deal is the same either way.
  public var distinctNames: Bool
  /// `crm`: cardinalities like a real CRM's export (the benchmark's default).
  public var shape: Shape

  /// `demo`: a few dozen accounts, six owners, a readable pipeline. `crm`: accounts about
  /// 13% of the deals with a long tail of small ones, every deal name distinct, 30 to 500
  /// owners, long-tailed values (log-normal, a few very large deals).
  public enum Shape: String, Sendable, CaseIterable { case demo, crm }

  public init(seed: UInt64 = 42, today: Day, distinctNames: Bool = false, shape: Shape = .demo) {
    self.seed = seed
    self.today = today
    self.distinctNames = distinctNames || shape == .crm
    self.shape = shape
  }

  static let accounts = [
    "Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries", "Wayne Logistics",
    "Hooli", "Vandelay Imports", "Soylent Foods", "Tyrell Systems", "Cyberdyne", "Wonka Confections",
    "Müller GmbH", "Józef Kowalski Sp. z o.o.", "東京 Trading", "Nordlicht AB", "Ølstue ApS",
    "Pied Piper", "Aperture Labs", "Oscorp", "Gringotts Finance", "Dunder Mifflin", "Prestige Worldwide",
    "Blue Sun", "Massive Dynamic", "Sirius Cybernetics", "Monarch Solutions", "Big Kahuna Burger",
    "Bluth Company", "Los Pollos Hermanos", "Sterling Cooper", "Kruger Industrial", "Zorg Industries",
    "Virtucon", "Gekko & Co", "Rekall", "Weyland Corp", "Ollivanders", "Duff Brewing", "Spacely Sprockets",
  ]
  static let products = [
    "Platform expansion", "Annual renewal", "Pilot", "Enterprise license", "Team seats",
    "Data migration", "Support upgrade", "New region rollout", "Analytics add-on", "Security review",
  ]
  static let contacts = [
    "Ana Silva", "Ben Carter", "Chloé Dubois", "Dmitri Volkov", "Emma Jones", "Farah Khan",
    "Grace Lee", "Hiro Tanaka", "Ines Müller", "Jonas Berg", "Kasia Nowak", "Liam O'Brien",
    "Maya Patel", "Noah Smith", "Olga Petrova", "Pablo García",
  ]
  static let owners = ["alice", "bob", "carol", "dave", "erin", "frank"]
  static let sources = ["referral", "website", "outbound", "event", "partner", "", "webinar"]
  static let lostReasons = ["no budget", "went with competitor", "no decision", "timing", "price"]
  static let tagPool = ["enterprise", "smb", "renewal", "upsell", "priority", "emea", "apac", "na"]
  static let pipelines: [(name: String, stages: [String])] = [
    ("sales", ["lead", "contacted", "qualified", "proposal"]),
    ("partners", ["lead", "intro", "pilot", "negotiation"]),
  ]

  /// The deals as CSV with the reference header.
  public func csv(count: Int) -> String {
    var out = Field.stored.map(\.rawValue).joined(separator: ",") + "\n"
    out.reserveCapacity(count * 200)
    forEachDeal(count: count) { deal in
      out += Field.stored.map { CSVWriter.escape(ValueFormatter.plain(deal[$0])) }.joined(separator: ",")
      out += "\n"
    }
    return out
  }

  public func forEachDeal(count: Int, _ body: (Deal) -> Void) {
    var random = SplitMix64(seed: seed)
    let crowd = Crowd(shape: shape, deals: count)
    for index in 0..<count { body(deal(id: Int64(index + 1), crowd, &random)) }
  }

  /// How many accounts and owners there are, by shape and size.
  struct Crowd {
    var accounts: Int
    var owners: Int

    init(shape: Shape, deals: Int) {
      switch shape {
      case .demo:
        (accounts, owners) = (PipelineGenerator.accounts.count, PipelineGenerator.owners.count)
      case .crm:
        accounts = max(PipelineGenerator.accounts.count, deals * 13 / 100)
        owners = min(500, max(30, deals / 2000))
      }
    }
  }

  static let accountKinds = ["", " Holdings", " Group", " Labs", " GmbH", " Inc", " Ltd", " SA", " BV", " KK"]
  static let firstNames = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]

  /// Account `index` of the crowd: the demo's names, then the same names with a kind and
  /// a number, so `account ~ "acme"` still finds some.
  static func account(_ index: Int) -> String {
    let base = accounts[index % accounts.count]
    let round = index / accounts.count
    guard round > 0 else { return base }
    return base + accountKinds[round % accountKinds.count] + " \(round / accountKinds.count + 1)"
  }

  static let surnames = [
    "Smith", "García", "Müller", "Rossi", "Dubois", "Kowalski", "Novak", "Jensen", "Silva", "Tanaka", "Kim", "Patel",
    "Nguyen", "Cohen", "Ivanova", "Larsen", "Moreau", "Fischer", "Costa", "Haddad", "O'Neil", "Berg", "Weber",
    "Romero", "Sato", "Chen", "Singh", "Ali", "Brown", "Wilson", "Taylor", "Martin", "Lopez", "Schmidt", "Bauer",
    "Ferrari", "Bianchi", "Nowak", "Horvat", "Popescu", "Andersen", "Virtanen", "Ahmed", "Okafor", "Mensah",
    "Kaya", "Demir", "Yamamoto", "Park", "Lee",
  ]

  /// Owner `index`: the demo's six, or a first name and a surname for a CRM's 30 to 500.
  static func owner(_ index: Int, of crowd: Crowd) -> String {
    guard crowd.owners != owners.count else { return owners[index] }
    let first = firstNames[index % firstNames.count]
    return first.prefix(1).uppercased() + first.dropFirst() + " " + surnames[index / firstNames.count % surnames.count]
  }

  private func deal(id: Int64, _ crowd: Crowd, _ random: inout SplitMix64) -> Deal {
    var deal = Deal(id: id)
    let account = Self.account(shape == .crm ? random.longTail(crowd.accounts) : random.below(crowd.accounts))
    deal[text: .account] = account
    deal[text: .name] = "\(account) — \(Self.products[random.below(Self.products.count)])"
    if distinctNames { deal[text: .name] += " #\(id)" }
    deal[text: .contact] = Self.contacts[random.below(Self.contacts.count)]
    deal[text: .owner] = Self.owner(random.below(crowd.owners), of: crowd)
    let pipeline = random.below(5) == 0 ? Self.pipelines[1] : Self.pipelines[0]
    deal.pipeline = pipeline.name
    deal[text: .currency] = random.below(6) == 0 ? "EUR" : "USD"
    deal[text: .source] = Self.sources[random.below(Self.sources.count)]
    deal.value =
      shape == .crm
      ? random.logNormalCents(median: 8_000, spread: 1.3)
      : Int64(500 + random.below(120) * random.below(1000) + random.below(100)) * 100
    var tags: [String] = []
    for tag in Self.tagPool where random.below(7) == 0 { tags.append(tag) }
    deal.tags = tags.sorted()
    let created = today.adding(days: -random.below(720))
    deal[date: .created] = created
    let age = Int(today.number - created.number)
    // Older deals are more likely to have closed.
    let roll = random.below(100)
    let outcome: DealStatus = age > 60 && roll < 30 ? .won : age > 45 && roll < 60 ? .lost : .open
    let stageIndex = random.below(pipeline.stages.count)
    let stageEntered = created.adding(days: age == 0 ? 0 : random.below(max(1, age)))
    switch outcome {
    case .won, .lost:
      deal.stage = outcome.rawValue
      deal[date: .closed] = stageEntered
      deal[date: .stageEntered] = stageEntered
      if outcome == .lost { deal[text: .lostReason] = Self.lostReasons[random.below(Self.lostReasons.count)] }
      deal[date: .lastInteraction] = stageEntered.adding(days: -random.below(10))
    case .open, .parked:
      deal.stage = pipeline.stages[stageIndex]
      deal[date: .stageEntered] = stageEntered
      deal[date: .expectedClose] = today.adding(days: random.below(150) - 30)
      // A third of open deals have gone quiet: the flush's prey.
      let quiet = random.below(3) == 0
      let sinceStage = Int(today.number - stageEntered.number)
      let idle = quiet ? 91 + random.below(200) : random.below(min(90, sinceStage + 1))
      deal[date: .lastInteraction] = max(created, today.adding(days: -idle))
      if random.below(25) == 0 { deal[date: .lastInteraction] = nil }
    }
    if deal[date: .lastInteraction].map({ $0 < created }) == true { deal[date: .lastInteraction] = created }
    return deal
  }
}

/// A small, fast, deterministic random generator (not for cryptography).
public struct SplitMix64 {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  /// A uniform double in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

  /// An index below `bound`, small ones far more likely (a few big accounts, a long
  /// tail of accounts with one or two deals).
  mutating func longTail(_ bound: Int) -> Int { min(bound - 1, Int(Double(bound) * pow(unit(), 2.5))) }

  /// Log-normal money in whole units (Box–Muller), between 100 and 50 million, in cents.
  mutating func logNormalCents(median: Double, spread: Double) -> Int64 {
    let normal = (-2 * log(max(unit(), 1e-12))).squareRoot() * cos(2 * .pi * unit())
    return Int64(min(50_000_000, max(100, (median * exp(spread * normal)).rounded()))) * 100
  }
}
