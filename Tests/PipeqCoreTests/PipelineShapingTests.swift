import Foundation
import Testing

@testable import PipeqCore

/// Pipelines and stages shaped by hand: each statement, its refusals, and its undo.
/// The fixture's pipelines: sales (lead, contacted, qualified, proposal, won, lost) and
/// partners (lead, pilot, won, lost).
@Suite struct PipelineShapingTests {
  static func stages(_ pipeline: String, _ database: Database) -> [String] {
    let catalog = database.table.pipelines
    guard let id = catalog.pipeline(named: pipeline) else { return [] }
    return catalog.pipelines[Int(id)].stages.map { catalog.stages[Int($0)].name }
  }

  static func count(_ filter: String, _ database: Database) throws -> Value {
    try Fixture.table("count where \(filter)", in: database).rows[0][0]
  }

  @Test func pipelinesListsEveryStageInOrderWithItsFigures() throws {
    let table = try Fixture.table("pipelines")
    #expect(table.columns == ["pipeline", "stage", "kind", "probability", "rotting_days", "deals", "value"])
    #expect(
      table.rows.map { "\($0[0].text)/\($0[1].text)" }.prefix(6) == [
        "sales/lead", "sales/contacted", "sales/qualified", "sales/proposal", "sales/won", "sales/lost",
      ])
    #expect(
      table.rows[1] == [
        .text("sales"), .text("contacted"), .text("open"), .text("20%"), .integer(30), .integer(1),
        .text("250,000 USD"),
      ])
    #expect(table.rows[4][2] == .text("won") && table.rows[4][6] == .text("20,000 EUR"))
    #expect(
      table.rows[9] == [
        .text("partners"), .text("lost"), .text("lost"), .text("0%"), .integer(30), .integer(0), .empty,
      ])
  }

  @Test func aPipelineIsCreatedInTheOrderGivenAndUndoneWhole() throws {
    let database = Fixture.database()
    let report = try Fixture.report(
      "create pipeline resellers stages (intro, demo, negotiation, won, lost)", in: database)
    #expect(report.wording.done == "created pipeline resellers: intro, demo, negotiation, won, lost")
    #expect(Self.stages("resellers", database) == ["intro", "demo", "negotiation", "won", "lost"])
    try Fixture.run("create pipeline renewals stages (review, offer)", on: database)
    #expect(Self.stages("renewals", database) == ["review", "offer", "won", "lost"])
    try Fixture.run("add deal X stage demo", on: database)
    #expect(try Self.count("pipeline = resellers", database) == .integer(1))
    try Fixture.run("undo 3", on: database)
    #expect(Self.stages("resellers", database).isEmpty && database.table.pipelines.pipeline(named: "renewals") == nil)
    let cases: [(String, String, Int, Int)] = [
      ("create pipeline sales stages (a, b)", "there is a pipeline 'sales' already", 16, 5),
      ("create pipeline x stages (a, b, A)", "stage 'A' is listed twice", 32, 1),
    ]
    Fixture.expectRefusals(cases, in: database)
  }

  @Test func moreThanTenStagesIsAWarningWithTheReason() throws {
    let database = Fixture.database()
    let outcome = try Fixture.run(
      "create pipeline long stages (s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)", on: database)
    #expect(
      outcome.warnings.first?.message.contains("long now has 12 stages: 7 to 10 keep a pipeline readable") == true)
    #expect(Self.stages("long", database).count == 12)
    #expect(try Fixture.run("add stage fridge after lost in sales", on: database).warnings.isEmpty)
  }

  @Test func pipelinesAreRenamedAndRemovedOnlyWhenEmpty() throws {
    let database = Fixture.database()
    try Fixture.run("rename pipeline partners to resellers", on: database)
    #expect(try Self.count("pipeline = resellers", database) == .integer(2))
    #expect(
      Fixture.error("rename pipeline resellers to sales", in: database).contains("there is a pipeline 'sales' already"))
    let refused = Fixture.error("remove pipeline resellers", in: database)
    #expect(refused.contains("pipeline 'resellers' has 2 deals: nothing was removed"))
    try Fixture.run("delete where pipeline = resellers", on: database)
    try Fixture.run("remove pipeline resellers", on: database)
    #expect(database.table.pipelines.pipeline(named: "resellers") == nil)
    #expect(try Fixture.table("pipelines", in: database).rows.allSatisfy { $0[0] == .text("sales") })
    #expect(Fixture.error("remove pipeline sales", in: database).contains("is the only pipeline"))
    // Undo brings the pipeline back, then its deals, then its old name.
    try Fixture.run("undo 3", on: database)
    #expect(try Self.count("pipeline = partners", database) == .integer(2))
  }

  @Test func stagesAreAddedRenamedAndMovedAndUndoPutsThemBack() throws {
    let database = Fixture.database()
    try Fixture.run("add stage fridge after lost in sales", on: database)
    try Fixture.run("add stage demo before pilot", on: database)
    try Fixture.run("add stage onboarding in partners", on: database)
    #expect(Self.stages("sales", database) == ["lead", "contacted", "qualified", "proposal", "won", "lost", "fridge"])
    #expect(Self.stages("partners", database) == ["lead", "demo", "pilot", "onboarding", "won", "lost"])
    try Fixture.run("rename stage pilot to 'trial run' in partners", on: database)
    #expect(try Self.count("stage = 'trial run'", database) == .integer(1))
    try Fixture.run("move stage qualified before contacted", on: database)
    #expect(Self.stages("sales", database).prefix(3) == ["lead", "qualified", "contacted"])
    // Stage order is what `>=` reads: contacted (deal 8) is now past qualified.
    #expect(Fixture.ids(where: "pipeline = sales and stage >= contacted and status = open", in: database) == [5, 8])
    try Fixture.run("undo 2", on: database)
    #expect(Self.stages("sales", database).prefix(3) == ["lead", "contacted", "qualified"])
    #expect(try Self.count("stage = pilot", database) == .integer(1))
  }

  @Test func shapingMistakesAreRefusedAtTheirWord() {
    let database = Fixture.database()
    let cases: [(String, String, Int, Int)] = [
      ("add stage demo after lead", "stage 'lead' is in 2 pipelines (sales, partners): which one?", 21, 4),
      ("add stage won in sales", "pipeline 'sales' has a stage 'won' already", 10, 3),
      ("add stage demo after pilot in sales", "pipeline 'sales' has no stage 'pilot'", 21, 5),
      ("add stage demo", "which pipeline? there are 2", 10, 4),
      ("rename stage lead to x", "stage 'lead' is in 2 pipelines", 13, 4),
      ("rename stage lead to contacted in sales", "pipeline 'sales' has a stage 'contacted' already", 21, 9),
      ("move stage lead before lead in sales", "a stage cannot go before itself", 23, 4),
      ("move stage leed before won in sales", "pipeline 'sales' has no stage 'leed'", 11, 4),
      ("remove stage won in sales", "'won' is the only won stage of sales", 13, 3),
      ("set stage lost kind open in sales", "'lost' is the only lost stage of sales", 20, 4),
      ("set stage lead kind frozen", "a stage's kind is open, won, lost or parked", 20, 6),
      ("set stage lead probability 120%", "a probability is a percentage from 0% to 100%", 27, 4),
      ("set stage lead rotting -3", "expected days, as in 14d, or none", 23, 1),
      ("set stage lead rotting 0d", "rotting takes a number of days", 23, 2),
      ("remove pipeline sails", "unknown pipeline 'sails'", 16, 5),
    ]
    Fixture.expectRefusals(cases, in: database)
    #expect(database.table.pipelines == Fixture.database().table.pipelines)
  }

  /// A stage with deals is removed only with `into`, which moves them; undo moves them back.
  @Test func removingAStageMovesItsDealsIntoAnother() throws {
    let database = Fixture.database()
    let refused = Fixture.error("remove stage qualified in sales", in: database)
    #expect(refused.contains("stage 'qualified' of sales has 1 deal: nothing was removed"))
    #expect(refused.contains("remove stage qualified in sales into STAGE"))
    let report = try Fixture.report("remove stage qualified in sales into contacted", in: database)
    #expect(report.wording.done == "removed stage qualified from sales (1 deal moved to contacted)")
    #expect(Self.stages("sales", database) == ["lead", "contacted", "proposal", "won", "lost"])
    #expect(Fixture.ids(where: "stage = contacted", in: database) == [2, 8])
    #expect(Fixture.error("count where stage = qualified", in: database).contains("unknown stage 'qualified'"))
    #expect(
      try Fixture.table("log deal 2", in: database).rows.last?.suffix(3) == [
        .text("stage_entered"), .date(Day(iso: "2026-02-01")!), .date(Fixture.today),
      ])
    try Fixture.run("undo", on: database)
    #expect(Self.stages("sales", database) == ["lead", "contacted", "qualified", "proposal", "won", "lost"])
    #expect(Fixture.ids(where: "stage = qualified", in: database) == [2])
  }

  /// A renamed won stage stays won: the kind is kept, not read from the name.
  @Test func aRenamedStageKeepsItsKindAndSettings() throws {
    let database = Fixture.database()
    try Fixture.run(".probability proposal 55%", on: database)
    try Fixture.run("rename stage won to 'closed won' in sales", on: database)
    try Fixture.run("rename stage proposal to offer in sales", on: database)
    #expect(Fixture.ids(where: "status = won", in: database) == [3])
    #expect(try Fixture.table("list probability where id = 5", in: database).rows == [[.integer(55)]])
    try Fixture.run("close won where id = 1", on: database)
    #expect(try Fixture.table("list stage where id = 1", in: database).rows == [[.text("closed won")]])
  }

  @Test func stageSettingsApplyToEveryPipelineOrTheOneNamed() throws {
    let database = Fixture.database()
    try Fixture.run("set stage lead probability 30% in partners", on: database)
    #expect(
      try Fixture.table("list probability where id in (1, 6)", in: database).rows == [[.integer(10)], [.integer(30)]])
    try Fixture.run("set stage lead probability 25%", on: database)
    #expect(
      try Fixture.table("list probability where id in (1, 6)", in: database).rows == [[.integer(25)], [.integer(25)]])
    try Fixture.run("set stage lead rotting 7d in sales", on: database)
    let rows = try Fixture.table("pipelines", in: database).rows
    #expect(rows.first { $0[0] == .text("sales") && $0[1] == .text("lead") }?[4] == .integer(7))
    #expect(rows.first { $0[0] == .text("partners") && $0[1] == .text("lead") }?[4] == .integer(30))
    try Fixture.run("set stage lead probability none", on: database)
    #expect(
      try Fixture.table("list probability where id in (1, 6)", in: database).rows == [[.integer(10)], [.integer(10)]])
  }

  @Test func movingToAnotherPipelineNamesItsStage() throws {
    let database = Fixture.database()
    let report = try Fixture.report("move to partners/pilot where id in (1, 2, 7)", in: database)
    #expect(report.wording.done == "moved 2 deals to partners/pilot; 1 was already there")
    #expect(Fixture.ids(where: "pipeline = partners and stage = pilot", in: database) == [1, 2, 7])
    #expect(
      try Fixture.table("log deal 1", in: database).rows.contains {
        $0[4] == .text("pipeline") && $0[6] == .text("partners")
      })
    try Fixture.run("undo", on: database)
    #expect(Fixture.ids(where: "pipeline = sales and stage in (lead, qualified)", in: database) == [1, 2])
  }
}

/// The parked kind (the fridge): out of the open and weighted pipeline and of win rates,
/// counted on its own, after lost on the board. Figures worked by hand from the fixture:
/// parking deal 4 (lost, 7,000) and deal 8 (contacted, 250,000 USD, 20%).
@Suite struct ParkedStageTests {
  static func parked() throws -> Database {
    let database = Fixture.database()
    try Fixture.run("add stage fridge after lost in sales", on: database)
    try Fixture.run("set stage fridge kind parked in sales", on: database)
    try Fixture.run("move to fridge where id in (4, 8)", on: database)
    return database
  }

  @Test func parkedDealsHaveTheirOwnStatus() throws {
    let database = try Self.parked()
    #expect(Fixture.ids(where: "status = parked", in: database) == [4, 8])
    #expect(Fixture.ids(where: "status = open", in: database) == [1, 2, 5, 6, 7])
    #expect(
      try Fixture.table("list closed, weighted, probability where id = 8", in: database).rows == [
        [.empty, .money(0), .integer(0)]
      ])
  }

  @Test func healthCountsThemApart() throws {
    let before = try Fixture.reportResult("health this year").json
    #expect(before.contains("\"lost_count\": 1, \"win_rate\": 0.5"))
    #expect(
      before.contains("\"open_count\": 6, \"open_value\": 424000, \"weighted_value\": 83900, \"parked_count\": 0"))
    let json = try Fixture.reportResult("health this year", in: try Self.parked()).json
    // Deal 4 is no longer lost: 1 won of 1 closed. Deal 8 leaves the open pipeline and
    // its 250,000 × 20% leaves the weighted one.
    #expect(json.contains("\"won_count\": 1, \"lost_count\": 0, \"win_rate\": 1"), "\(json)")
    #expect(json.contains("\"open_count\": 5, \"open_value\": 174000, \"weighted_value\": 33900, \"parked_count\": 2"))
  }

  @Test func theBoardShowsTheFridgeAfterLost() throws {
    let database = try Self.parked()
    try Fixture.run("move stage fridge before lead in sales", on: database)
    let rows = try Fixture.reportResult("board sales", in: database).table.rows
    #expect(
      rows.map { $0[0] } == ["lead", "contacted", "qualified", "proposal", "won", "lost", "fridge"].map(Value.text))
    #expect(rows.last?[1] == .integer(2))
  }

  @Test func teamAndStaleLeaveParkedDealsOut() throws {
    let database = try Self.parked()
    #expect(try Fixture.reportResult("stale", in: database).table.rows.allSatisfy { $0[0] != .integer(8) })
    let carol = try Fixture.reportResult("team this year", in: database).table.rows.first { $0[0] == .text("carol") }
    #expect(carol?[1] == .integer(0))  // no open deals: 8 is parked
  }
}

/// Shaped pipelines on disk: replayed from the journal, kept by a checkpoint, and read
/// from stores written before stages had kinds.
@Suite struct ShapedCatalogOnDiskTests {
  static let shaping = [
    "create pipeline resellers stages (intro, demo, negotiation, won, lost)",
    "add stage fridge after lost in sales", "set stage fridge kind parked in sales",
    "rename stage negotiation to 'contract sent' in resellers", "move stage demo before intro in resellers",
    "remove stage qualified in sales into contacted", "set stage proposal probability 55% in sales",
    "move to fridge where id = 4",
  ]

  @Test func shapingIsReplayedAndCheckpointed() throws {
    let path = SnapshotTests.temporaryPath()
    let expected: ResultTable
    do {
      let database = try Fixture.store(at: path)
      for statement in Self.shaping { try Fixture.run(statement, on: database) }
      expected = try Fixture.table("pipelines", in: database)
    }
    do {
      let replayed = try Database.reopen(path)
      #expect(try Fixture.table("pipelines", in: replayed) == expected)
      #expect(try replayed.checkpoint())
    }
    let reopened = try Database.reopen(path)
    #expect(try Fixture.table("pipelines", in: reopened) == expected)
    #expect(Fixture.ids(where: "status = parked", in: reopened) == [4])
    // Undo after reopening still has the catalog before each change.
    try Fixture.run("undo 3", on: reopened)
    #expect(PipelineShapingTests.stages("sales", reopened).contains("qualified"))
    #expect(Fixture.ids(where: "stage = qualified", in: reopened) == [2])
  }

  /// A store from before stage kinds, with a `.probability` setting kept by stage name,
  /// opens with the same figures; the setting follows the stage and `none` clears it.
  @Test func anOlderStoresProbabilitySettingsStillCount() throws {
    var table = Fixture.database().table
    table.definitions[".probability.proposal"] = "0.55"
    var bytes = LegacyFormats.namesOnlyCatalog(in: SnapshotFormat.encode(table))
    bytes[8] = 3
    let path = SnapshotTests.temporaryPath()
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let database = try Database.reopen(path)
    #expect(
      try Fixture.table("list probability, weighted where id = 5", in: database).rows == [[.integer(55), .empty]])
    let rows = try Fixture.table(".probability", in: database).rows
    #expect(rows.contains([.text("sales"), .text("proposal"), .text("55%"), .text("set")]))
    try Fixture.run("set stage proposal probability none", on: database)
    #expect(try Fixture.table("list probability where id = 5", in: database).rows == [[.integer(60)]])
    #expect(database.table.definitions[".probability.proposal"] == nil)
  }
}

extension ParkedStageTests {
  /// A parked stage is no funnel step; a deal parked from contacted reached contacted.
  @Test func theFunnelLeavesTheFridgeOut() throws {
    let table = try Fixture.reportResult("funnel sales", in: try Self.parked()).table
    #expect(table.rows.map { $0[0] } == ["lead", "contacted", "qualified", "proposal", "won"].map(Value.text))
    #expect(table.rows.map { $0[1] } == [6, 4, 3, 2, 1].map { Value.integer($0) })
  }
}
