import Foundation
import PipeqCore
import Testing

/// Each report's figures on the generated demo pipeline, recomputed by a plain loop over
/// the exported CSV (read cell by cell, nothing shared with the reports but the reader)
/// and compared.
@Suite struct DemoRecomputationTests {
  static let today = Day(iso: "2026-11-27")!

  /// One exported deal.
  struct Row {
    var id: Int64
    var owner: String
    var pipeline: String
    var stage: String
    var cents: Int64?
    var currency: String
    var created: Day?
    var stageEntered: Day?
    var closed: Day?
    var lastInteraction: Day?
    var status: String { stage == "won" ? "won" : stage == "lost" ? "lost" : "open" }
  }

  static func setUp() throws -> (Database, [Row]) {
    let database = Database()
    let csv = PipelineGenerator(seed: 11, today: today).csv(count: 3_000)
    let (mutation, _) = try CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "demo.csv", statement: ".import demo.csv")
    try database.commit(mutation)
    // Partners' stages are not default names, and an import meets them in the file's
    // order: their probabilities are set here so the loop below does not depend on it.
    for setting in [
      ".currency EUR", ".rate USD 0.9", ".probability intro 30%", ".probability pilot 45%",
      ".probability negotiation 70%",
    ] {
      try run(setting, database)
    }
    let path = SnapshotTests.temporaryPath() + ".csv"
    try run(".export \(path)", database)
    var reader = CSVReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    let header = try reader.next()!.fields
    func column(_ name: String) -> Int { header.firstIndex(of: name)! }
    var rows: [Row] = []
    while let record = try reader.next() {
      let cells = record.fields
      func day(_ name: String) -> Day? { Day(iso: cells[column(name)]) }
      let amount = cells[column("value")]
      rows.append(
        Row(
          id: Int64(cells[column("id")])!, owner: cells[column("owner")], pipeline: cells[column("pipeline")],
          stage: cells[column("stage")], cents: amount.isEmpty ? nil : Money.cents(Double(amount)!),
          currency: cells[column("currency")], created: day("created"), stageEntered: day("stage_entered"),
          closed: day("closed"), lastInteraction: day("last_interaction")))
    }
    #expect(rows.count == 3_000)
    return (database, rows)
  }

  static func run(_ text: String, _ database: Database) throws {
    let source = SourceText(name: "<test>", text: text)
    let engine = Engine(database: database, options: .init(today: today, dryRun: false))
    _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
  }

  static func report(_ text: String, _ database: Database) throws -> ReportResult {
    let source = SourceText(name: "<test>", text: text)
    let engine = Engine(database: database, options: .init(today: today, dryRun: false))
    guard
      case .report(let result) = try engine.execute(
        try Parser.parse(source), source: source, span: Span(0, source.bytes.count)
      ).result
    else {
      throw DiagnosticError(.error("not a report"))
    }
    return result
  }

  /// Cents per currency, converted at the test's rate (USD 0.9) and rounded once.
  static func euros(_ amounts: [(Int64, String)]) -> Double {
    var byCurrency: [String: Int64] = [:]
    for (cents, currency) in amounts { byCurrency[currency, default: 0] += cents }
    let total = byCurrency.reduce(0.0) { $0 + Double($1.value) * ($1.key == "USD" ? 0.9 : 1) }
    return total.rounded(.toNearestOrAwayFromZero) / 100
  }

  /// The default probabilities by stage name, and the ones set for partners' stages.
  static func probability(_ row: Row) -> Double {
    let named = [
      "lead": 0.1, "contacted": 0.2, "qualified": 0.4, "proposal": 0.6, "intro": 0.3, "pilot": 0.45, "negotiation": 0.7,
    ]
    return named[row.stage]!
  }

  @Test func healthThisQuarter() throws {
    let (database, rows) = try Self.setUp()
    let figures = try Self.report("health this quarter", database).table.rows
    var found: [String: Double] = [:]
    for row in figures {
      if case .text(let key) = row[0], case .text(let text) = row[1], let number = Double(text) { found[key] = number }
    }
    let first = Day(iso: "2026-10-01")!
    let last = Day(iso: "2026-12-31")!
    func inQuarter(_ day: Day?) -> Bool { day.map { first <= $0 && $0 <= last } ?? false }
    let won = rows.filter { $0.status == "won" && inQuarter($0.closed) }
    let lost = rows.filter { $0.status == "lost" && inQuarter($0.closed) }
    let created = rows.filter { inQuarter($0.created) }
    let open = rows.filter { $0.status == "open" }
    let cycles = won.compactMap { row in row.created.map { Int(row.closed!.number - $0.number) } }.sorted()
    let revenue = Self.euros(won.compactMap { row in row.cents.map { ($0, row.currency) } })
    #expect(found["revenue_won"] == revenue)
    #expect(found["won_count"] == Double(won.count))
    #expect(found["lost_count"] == Double(lost.count))
    #expect(abs(found["win_rate"]! - Double(won.count) / Double(won.count + lost.count)) < 0.0001)
    #expect(found["new_count"] == Double(created.count))
    #expect(found["new_value"] == Self.euros(created.compactMap { row in row.cents.map { ($0, row.currency) } }))
    #expect(found["open_count"] == Double(open.count))
    #expect(found["open_value"] == Self.euros(open.compactMap { row in row.cents.map { ($0, row.currency) } }))
    // Weighted: each deal rounded to the cent per currency, as the report adds it.
    var weighted: [String: Double] = [:]
    for row in open {
      if let cents = row.cents { weighted[row.currency, default: 0] += Double(cents) * Self.probability(row) }
    }
    let weightedCents = weighted.reduce(0.0) { $0 + Double(Int64($1.value.rounded())) * ($1.key == "USD" ? 0.9 : 1) }
    #expect(found["weighted_value"] == weightedCents.rounded(.toNearestOrAwayFromZero) / 100)
    let mean = Double(cycles.reduce(0, +)) / Double(cycles.count)
    #expect(found["avg_cycle_days"] == (mean * 10).rounded() / 10)
    let middle = cycles.count / 2
    let median = cycles.count % 2 == 1 ? Double(cycles[middle]) : Double(cycles[middle - 1] + cycles[middle]) / 2
    #expect(found["median_cycle_days"] == median)
    #expect(won.count > 20 && lost.count > 20 && created.count > 20, "the quarter has enough deals to mean something")
  }

  @Test func boardTeamStaleAndFunnel() throws {
    let (database, rows) = try Self.setUp()
    // Board: count and converted total per sales stage.
    let board = try Self.report("board sales", database).table.rows
    for stage in ["lead", "contacted", "qualified", "proposal", "won", "lost"] {
      let deals = rows.filter { $0.pipeline == "sales" && $0.stage == stage }
      let row = board.first { $0[0] == .text(stage) }!
      #expect(row[1] == .integer(Int64(deals.count)), "\(stage)")
      let total = Self.euros(deals.compactMap { deal in deal.cents.map { ($0, deal.currency) } })
      #expect(row[2] == .money(Int64((total * 100).rounded())), "\(stage)")
    }
    // Team: open deals and abandoned ones (idle past 30 days) per owner.
    let team = try Self.report("team", database).table.rows
    for row in team {
      guard case .text(let owner) = row[0] else { continue }
      let open = rows.filter { $0.owner == owner && $0.status == "open" }
      let abandoned = open.filter { deal in
        let latest = [deal.lastInteraction, deal.stageEntered].compactMap { $0 }.max()
        return latest.map { Int(Self.today.number - $0.number) > 30 } ?? false
      }
      #expect(row[1] == .integer(Int64(open.count)), "\(owner)")
      #expect(row[7] == .integer(Int64(abandoned.count)), "\(owner)")
    }
    // Stale: the same deals, most days over first.
    let stale = try Self.report("stale limit 100000", database).table.rows.map { $0[0] }
    let expected = rows.filter { $0.status == "open" }.compactMap { deal -> (Int64, Int)? in
      guard let latest = [deal.lastInteraction, deal.stageEntered].compactMap({ $0 }).max() else { return nil }
      let idle = Int(Self.today.number - latest.number)
      return idle > 30 ? (deal.id, idle) : nil
    }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    #expect(stale == expected.map { Value.integer($0.0) })
    // Funnel: imported deals have one event each, so a deal reached the stages up to its
    // current one (won: all open stages; lost: the first only).
    let funnel = try Self.report("funnel sales", database).table.rows.map { $0[1] }
    let order = ["lead", "contacted", "qualified", "proposal", "won"]
    let sales = rows.filter { $0.pipeline == "sales" }
    let reached = order.indices.map { place in
      sales.filter { deal in
        let top = deal.stage == "lost" ? 0 : order.firstIndex(of: deal.stage)!
        return top >= place
      }.count
    }
    #expect(funnel == reached.map { Value.integer(Int64($0)) })
    // Trend: won value by month of closing over the last twelve months, in euros.
    let trend = try Self.report("trend value by month(closed) where status = won", database).table.rows
    #expect(trend.count == 12)
    for row in trend {
      guard case .text(let month) = row[0] else { continue }
      let deals = rows.filter { $0.status == "won" && $0.closed.map { String($0.description.prefix(7)) } == month }
      let total = Self.euros(deals.compactMap { deal in deal.cents.map { ($0, deal.currency) } })
      #expect(row[1] == .number(total.rounded()), "\(month)")
    }
  }
}
