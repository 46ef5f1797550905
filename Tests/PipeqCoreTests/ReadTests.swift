import PipeqCore
import Testing

@Suite struct ReadTests {
  @Test func orderByPutsEmptyLastBothWays() throws {
    let ascending = try Fixture.table("list id, value order by value")
    #expect(ascending.rows.map { $0[0] }.last == .integer(5))
    #expect(ascending.rows.first?[0] == .integer(1))
    let descending = try Fixture.table("list id, value order by value desc")
    #expect(descending.rows.map { $0[0] } == [8, 6, 2, 3, 4, 7, 1, 5].map { .integer($0) })
  }

  @Test func tiesKeepIdOrder() throws {
    let table = try Fixture.table("list id order by pipeline desc, owner")
    // sales before partners; within a pipeline by owner (case-insensitive, empty last), ties by id.
    #expect(table.rows.map { $0[0] } == [1, 2, 3, 4, 8, 5, 6, 7].map { .integer($0) })
  }

  @Test func withoutOrderResultsAreInIdOrder() throws {
    let table = try Fixture.table("list id")
    #expect(table.rows.map { $0[0] } == (1...8).map { .integer($0) })
  }

  @Test func limitKeepsTheTotal() throws {
    let table = try Fixture.table("list id order by value desc limit 2")
    #expect(table.rows.count == 2)
    #expect(table.totalRows == 8)
  }

  @Test func derivedFields() throws {
    let table = try Fixture.table("list status, age, stage_age, idle where id = 2")
    #expect(table.rows == [[.text("open"), .days(196), .days(134), .days(106)]])
  }

  @Test func countAndGroups() throws {
    #expect(try Fixture.table("count").rows == [[.integer(8)]])
    let byStage = try Fixture.table("count by stage")
    #expect(byStage.columns == ["stage", "count"])
    #expect(
      byStage.rows == [
        [.text("lead"), .integer(2)], [.text("contacted"), .integer(1)], [.text("pilot"), .integer(1)],
        [.text("qualified"), .integer(1)], [.text("proposal"), .integer(1)], [.text("won"), .integer(1)],
        [.text("lost"), .integer(1)],
      ])
    let byOwner = try Fixture.table("count by owner where status = open")
    #expect(
      byOwner.rows == [
        [.text("alice"), .integer(2)], [.text("bob"), .integer(1)], [.text("carol"), .integer(1)],
        [.text("dave"), .integer(1)], [.empty, .integer(1)],
      ])
  }

  @Test func sumsAndAverages() throws {
    let sum = try Fixture.table("sum value by owner where currency = USD")
    #expect(sum.columns == ["owner", "sum"])
    #expect(
      sum.rows == [
        [.text("alice"), .money(12_100_000)], [.text("bob"), .money(5_000_000)],
        [.text("carol"), .money(25_700_000)], [.text("dave"), .money(300_000)], [.empty, .money(0)],
      ])
    #expect(try Fixture.table("avg value where stage = lead").rows == [[.money(6_050_000)]])
    #expect(try Fixture.table("min value").rows == [[.money(100_000)]])
    #expect(try Fixture.table("max created").rows == [[.date(Day(iso: "2026-04-01")!)]])
    #expect(try Fixture.table("avg idle where id in (1, 2)").rows == [[.number(55.5)]])
    #expect(try Fixture.table("sum value where id = 5").rows == [[.money(0)]])
    #expect(try Fixture.table("avg value where id = 5").rows == [[.empty]])
  }

  @Test func tagsGroupEachTag() throws {
    let table = try Fixture.table("count by tag")
    #expect(
      table.rows == [
        [.text("emea"), .integer(1)], [.text("enterprise"), .integer(1)], [.text("priority"), .integer(2)],
        [.text("smb"), .integer(1)], [.empty, .integer(4)],
      ])
  }

  @Test func mixedCurrencySumsWarn() throws {
    let outcome = try Fixture.run("sum value where stage in (won, lead)", on: Fixture.database())
    #expect(
      outcome.warnings.first?.message == "values are in 2 currencies (EUR, USD) and were added as if they were one")
    let grouped = try Fixture.run("sum value by currency", on: Fixture.database())
    #expect(grouped.warnings.isEmpty)
  }
}

/// Grouped aggregates agree with a plain loop over the same deals.
@Suite struct GroupedAggregateTests {
  @Test(arguments: [Field.owner, .stage, .pipeline, .status, .source, .currency])
  func sumAndCountByAgreeWithALoop(field: Field) throws {
    let today = Day(iso: "2026-06-15")!
    let database = Database()
    let csv = PipelineGenerator(seed: 5, today: today).csv(count: 800)
    let (mutation, _) = try CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "g.csv", statement: "")
    try database.commit(mutation)
    var sums: [Value: Int64] = [:]
    var counts: [Value: Int64] = [:]
    let table = database.table
    // Text groups fold case, as filters compare it.
    func folded(_ value: Value) -> Value {
      if case .text(let text) = value { return .text(text.lowercased()) }
      return value
    }
    for row in 0..<table.count {
      let key = folded(table.value(field, at: row, today: today))
      counts[key, default: 0] += 1
      if case .money(let cents) = table.value(.value, at: row, today: today) { sums[key, default: 0] += cents }
    }
    let summed = try Fixture.table("sum value by \(field.rawValue)", in: database)
    let counted = try Fixture.table("count by \(field.rawValue)", in: database)
    #expect(summed.rows.count == sums.count)
    for row in summed.rows { #expect(row[1] == .money(sums[folded(row[0])] ?? 0), "\(row[0])") }
    for row in counted.rows { #expect(row[1] == .integer(counts[folded(row[0])] ?? -1), "\(row[0])") }
  }
}
