import Testing

@testable import PipeqCore

/// Medians and calendar-period groups on the fixture, each answer worked out by hand from
/// its CSV (Fixture.csv; money in cents).
@Suite struct GroupingTests {
  static func day(_ text: String) -> Value { .date(Day(iso: text)!) }

  @Test func mediansTakeTheMiddleValue() throws {
    // 1000, 3000, 7000, 20000, 50000, 120000, 250000 (deal 5 has no value).
    #expect(try Fixture.table("median value").rows == [[.money(2_000_000)]])
    // Even count: the mean of 7000 and 50000.
    #expect(try Fixture.table("median value where currency = USD").rows == [[.money(2_850_000)]])
    // Only deal 5, which has no value.
    #expect(try Fixture.table("median value where stage = proposal").rows == [[.empty]])
    // Created: the middle two are 2026-01-10 and 2026-02-01; 11 days from each.
    #expect(try Fixture.table("median created").rows == [[Self.day("2026-01-21")]])
    let byPipeline = try Fixture.table("median value by pipeline")
    #expect(byPipeline.columns == ["pipeline", "median"])
    // sales: 1000, 7000, 20000, 50000, 250000; partners: 3000 and 120000.
    #expect(byPipeline.rows == [[.text("partners"), .money(6_150_000)], [.text("sales"), .money(2_000_000)]])
    // Tags take the row-by-row path (a deal is in each of its tags' groups).
    #expect(
      try Fixture.table("median value by tag").rows == [
        [.text("emea"), .money(100_000)], [.text("enterprise"), .money(25_000_000)],
        [.text("priority"), .money(6_050_000)], [.text("smb"), .money(300_000)], [.empty, .money(2_000_000)],
      ])
  }

  @Test func countsByMonthInTimeOrder() throws {
    let table = try Fixture.table("count by month(created)")
    #expect(table.columns == ["month(created)", "count"])
    #expect(
      table.rows == [
        [.text("2025-09"), .integer(1)], [.text("2025-10"), .integer(1)], [.text("2025-12"), .integer(1)],
        [.text("2026-01"), .integer(1)], [.text("2026-02"), .integer(2)], [.text("2026-03"), .integer(1)],
        [.text("2026-04"), .integer(1)],
      ])
  }

  @Test func emptyDatesGroupLast() throws {
    // Closed: deal 4 on 2026-01-15, deal 3 on 2026-05-01; six deals are open.
    let table = try Fixture.table("count by quarter(closed)")
    #expect(
      table.rows == [[.text("2026-q1"), .integer(1)], [.text("2026-q2"), .integer(1)], [.empty, .integer(6)]])
  }

  @Test func sumsByYearAndWeek() throws {
    // 2025: deals 2, 3, 4 (50000 + 20000 + 7000); 2026: 1000 + 120000 + 3000 + 250000.
    #expect(
      try Fixture.table("sum value by year(created)").rows == [
        [.text("2025"), .money(7_700_000)], [.text("2026"), .money(37_400_000)],
      ])
    // 2026-02-01 is a Sunday: deals 6 and 7 fall in the week starting Monday 2026-01-26.
    let weeks = try Fixture.table("count by week(created) where created >= 2026-01-01")
    #expect(
      weeks.rows == [
        [.text("2026-01-05"), .integer(1)], [.text("2026-01-26"), .integer(2)], [.text("2026-02-23"), .integer(1)],
        [.text("2026-03-30"), .integer(1)],
      ])
  }

  /// Aggregates that read values row by row group the same way as the counting path.
  @Test func everyAggregateGroupsAlike() throws {
    #expect(
      try Fixture.table("max id by month(created) where created >= 2026-02-01").rows == [
        [.text("2026-02"), .integer(7)], [.text("2026-03"), .integer(5)], [.text("2026-04"), .integer(8)],
      ])
    #expect(
      try Fixture.table("median value by quarter(created)").rows == [
        // 2025-q3: 7000; 2025-q4: 20000, 50000; 2026-q1: 1000, 120000, 3000 (deal 5 empty); 2026-q2: 250000.
        [.text("2025-q3"), .money(700_000)], [.text("2025-q4"), .money(3_500_000)],
        [.text("2026-q1"), .money(300_000)], [.text("2026-q2"), .money(25_000_000)],
      ])
  }

  @Test func mistakesPointAtTheirToken() {
    #expect(Fixture.error("count by month(owner)").contains("month( ) groups a date field; owner is text"))
    #expect(Fixture.error("count by month(owner)").contains(Fixture.caretLine(column: 15, width: 5)))
    #expect(Fixture.error("count by month(created").contains("expected ')' after month(created"))
    #expect(Fixture.error("median owner").contains("median needs a number field; owner is text"))
  }

  /// Several groups: each in its own order (stages by stage order, status open, won,
  /// lost), the first group first.
  @Test func groupsWithinGroups() throws {
    #expect(
      try Fixture.table("count by pipeline, stage").rows == [
        [.text("partners"), .text("lead"), .integer(1)], [.text("partners"), .text("pilot"), .integer(1)],
        [.text("sales"), .text("lead"), .integer(1)], [.text("sales"), .text("contacted"), .integer(1)],
        [.text("sales"), .text("qualified"), .integer(1)], [.text("sales"), .text("proposal"), .integer(1)],
        [.text("sales"), .text("won"), .integer(1)], [.text("sales"), .text("lost"), .integer(1)],
      ])
    // Partners: 3000 and 120000; sales open: 1000, 50000, 250000 (deal 5 has none).
    #expect(
      try Fixture.table("median value by pipeline, status").rows == [
        [.text("partners"), .text("open"), .money(6_150_000)], [.text("sales"), .text("open"), .money(5_000_000)],
        [.text("sales"), .text("won"), .money(2_000_000)], [.text("sales"), .text("lost"), .money(700_000)],
      ])
    // Row by row (tags): deal 1 has priority and emea; untagged sales deals 2, 3, 4, 5.
    #expect(
      try Fixture.table("count by tag, pipeline").rows == [
        [.text("emea"), .text("sales"), .integer(1)], [.text("enterprise"), .text("sales"), .integer(1)],
        [.text("priority"), .text("partners"), .integer(1)], [.text("priority"), .text("sales"), .integer(1)],
        [.text("smb"), .text("partners"), .integer(1)], [.empty, .text("sales"), .integer(4)],
      ])
    #expect(
      try Fixture.table("sum value by owner, month(created) where owner = alice").columns == [
        "owner", "month(created)", "sum",
      ])
  }

  @Test func explainShowsTheGrouping() throws {
    #expect(try Fixture.plan("explain count by week(created)").contains("group by week(created)"))
  }
}

/// Medians by selection agree with sorting, on random lists with many repeats.
@Suite struct SelectionTests {
  @Test func theMiddleIsWhatSortingGives() {
    var random = SplitMix64(seed: 7)
    for length in [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000, 4097] {
      for spread in [3, 1000, 1 << 40] {
        var numbers = (0..<length).map { _ in Int64(random.below(spread)) - Int64(spread / 2) }
        let sorted = numbers.sorted()
        let (lower, upper) = Selection.middle(of: &numbers)
        #expect(upper == sorted[length / 2], "length \(length), spread \(spread)")
        #expect(lower == sorted[length % 2 == 1 ? length / 2 : length / 2 - 1], "length \(length), spread \(spread)")
        #expect(numbers.sorted() == sorted)
      }
    }
  }

  /// Long lists go through a sample: random, in order, in reverse, mostly one amount, and
  /// laid out so the sample sees only the largest values (its bracket misses the middle
  /// and the whole list is selected).
  @Test(arguments: [Selection.sampledFrom, Selection.sampledFrom + 1, 200_001, 250_000])
  func longListsAgreeWithSorting(length: Int) {
    var random = SplitMix64(seed: UInt64(length))
    let step = length / (1 << 14)
    let lists: [(String, [Int64])] = [
      ("random", (0..<length).map { _ in Int64(random.below(1 << 40)) }),
      ("repeats", (0..<length).map { _ in random.below(10) < 8 ? 10_000 : Int64(random.below(1_000_000)) }),
      ("ascending", (0..<length).map { Int64($0) }),
      ("descending", (0..<length).map { Int64(length - $0) }),
      ("sample sees the top", (0..<length).map { $0 % step == 0 ? Int64(1 << 50) + Int64($0) : Int64($0 % 977) }),
    ]
    for (shape, list) in lists {
      var numbers = list
      let sorted = list.sorted()
      let (lower, upper) = Selection.middle(of: &numbers)
      #expect(upper == sorted[length / 2], "\(shape), length \(length)")
      #expect(lower == sorted[length % 2 == 1 ? length / 2 : length / 2 - 1], "\(shape), length \(length)")
    }
  }
}
