import PipeqCore
import Testing

/// `probability` (stage default or set, in percent) and `weighted` (value × it) on the
/// fixture: lead 10%, contacted 20%, qualified 40%, proposal 60%, won 100%, lost 0%;
/// partners' pilot 60% (the later of its two open stages).
@Suite struct WeightedTests {
  @Test func derivedFromTheStage() throws {
    let table = try Fixture.table("list id, probability, weighted")
    #expect(table.rows.map { $0[1] } == [10, 40, 100, 0, 60, 10, 60, 20].map { Value.integer($0) })
    #expect(
      table.rows.map { $0[2] } == [
        .money(10_000), .money(2_000_000), .money(2_000_000), .money(0), .empty, .money(1_200_000), .money(180_000),
        .money(5_000_000),
      ])
    // USD only: 100 + 20000 + 0 + 12000 + 1800 + 50000.
    #expect(try Fixture.table("sum weighted where currency = USD").rows == [[.money(8_390_000)]])
    // Grouped by a coded field (the per-stage fast path): sales 100 + 20000 + 0 + 50000;
    // partners 12000 + 1800.
    #expect(
      try Fixture.table("sum weighted by pipeline where currency = USD").rows == [
        [.text("partners"), .money(1_380_000)], [.text("sales"), .money(7_010_000)],
      ])
    let outcome = try Fixture.run("sum weighted", on: Fixture.database())
    #expect(outcome.warnings.contains { $0.message.contains("2 currencies") })
  }

  @Test func filtersMatchTheValuesShown() throws {
    #expect(Fixture.ids(where: "probability >= 40") == [2, 3, 5, 7])
    #expect(Fixture.ids(where: "probability = 10") == [1, 6])
    #expect(Fixture.ids(where: "weighted > 10k") == [2, 3, 6, 8])
    #expect(Fixture.ids(where: "weighted between 1000 and 20000") == [2, 3, 6, 7])
    #expect(Fixture.ids(where: "weighted < 100") == [4])
    #expect(Fixture.ids(where: "weighted is empty") == [5])
    // Every threshold, either side of each weighted value, agrees with the listed values.
    let shown = try Fixture.table("list id, weighted").rows
    for threshold in [
      "0", "99.99", "100", "100.01", "1799.99", "1800", "1800.01", "12000", "19999.99", "20000", "50000",
    ] {
      for comparison in [">", ">=", "<", "<=", "=", "!="] {
        let cents = Money.cents(Double(threshold)!)!
        let expected = shown.compactMap { row -> Int64? in
          guard case .integer(let id) = row[0] else { return nil }
          guard case .money(let weighted) = row[1] else { return comparison == "!=" ? id : nil }
          let holds: Bool
          switch comparison {
          case ">": holds = weighted > cents
          case ">=": holds = weighted >= cents
          case "<": holds = weighted < cents
          case "<=": holds = weighted <= cents
          case "=": holds = weighted == cents
          default: holds = weighted != cents
          }
          return holds ? id : nil
        }
        #expect(
          Fixture.ids(where: "weighted \(comparison) \(threshold)") == expected, "weighted \(comparison) \(threshold)")
      }
    }
  }

  /// Lists, ordering and groups read them through the same per-statement reader.
  @Test func orderedAndGrouped() throws {
    // Weighted: 8 (50000), then 2 and 3 (20000 each, by id).
    #expect(
      try Fixture.table("list id order by weighted desc limit 3").rows == [[.integer(8)], [.integer(2)], [.integer(3)]])
    #expect(
      try Fixture.table("count by probability").rows == [
        [.integer(0), .integer(1)], [.integer(10), .integer(2)], [.integer(20), .integer(1)],
        [.integer(40), .integer(1)], [.integer(60), .integer(2)], [.integer(100), .integer(1)],
      ])
  }

  @Test func aSetProbabilityChangesBoth() throws {
    let database = Fixture.database()
    try Fixture.run(".probability lead 50%", on: database)
    #expect(Fixture.ids(where: "probability = 10", in: database) == [])
    #expect(Fixture.ids(where: "probability = 50", in: database) == [1, 6])
    #expect(try Fixture.table("list weighted where id = 1", in: database).rows == [[.money(50_000)]])
  }

  @Test func mistakes() {
    #expect(Fixture.error("list where probability ~ 4").contains("probability is a number"))
    #expect(Fixture.error("set probability = 5 where id = 1").contains("probability is derived"))
  }
}
