import PipeqCore
import Testing

/// The filter contract, pinned deal by deal on the fixture.
@Suite struct FilterSemanticsTests {
  @Test(arguments: [
    // The mission filter: not won, last interaction strictly before today − 90d.
    ("stage != won and last_interaction > 90d", [2, 4, 6] as [Int64]),
    // Exactly 90 days ago is not "more than 90 days".
    ("last_interaction >= 90d", [2, 4, 6, 7]),
    ("last_interaction < 90d", [1, 3, 8]),
    ("idle > 90d", [2, 4, 6]),
    ("last_interaction < 2026-03-17", [2, 4, 6]),
    ("last_interaction = 2026-03-17", [7]),
    ("created between 2026-02-01 and 2026-03-01", [5, 6, 7]),
    ("created not between 2026-02-01 and 2026-03-01", [1, 2, 3, 4, 8]),
    ("last_interaction between 30d and 91d", [3, 6, 7]),
    ("expected_close <= today + 16d", [1, 7]),
    ("expected_close < tomorrow + 2w", []),
    ("expected_close < tomorrow + 15d", [7]),
    ("created > today - 3mo", [8]),
    ("created >= today - 6mo", [1, 5, 6, 7, 8]),
    ("age > 1y", []),
    ("stage_age > 100d", [1, 2, 4]),
  ])
  func dates(filter: String, expected: [Int64]) {
    #expect(Fixture.ids(where: filter) == expected, "\(filter)")
  }

  @Test(arguments: [
    // Text = is case-insensitive with Unicode case folding.
    ("owner = BOB", [2, 3] as [Int64]),
    ("account = 'müller gmbh'", [2]),
    ("account = 'MÜLLER GMBH'", [2]),
    ("account = 'strasse ag'", [3]),
    ("account = 東京", []),
    ("account = '東京 Trading'", [7]),
    ("name ~ PILOT", [2]),
    ("account ~ ü", [2]),
    ("name !~ a", [5]),
    ("owner in (alice, Carol)", [1, 4, 6, 8]),
    ("owner not in (alice, carol)", [2, 3, 5, 7]),
    // Empty values: positive tests are false, negated forms are their complement.
    ("source != referral", [2, 3, 4, 5, 6, 8]),
    ("source = referral", [1, 7]),
    ("owner != alice", [2, 3, 4, 5, 7, 8]),
    ("source is empty", [3, 5]),
    ("source is not empty", [1, 2, 4, 6, 7, 8]),
    ("value is empty", [5]),
    ("value > 0", [1, 2, 3, 4, 6, 7, 8]),
    ("not value > 0", [5]),
    ("last_interaction is empty", [5]),
    ("value not between 1k and 50k", [5, 6, 8]),
    ("contact !~ an", [2, 3, 4, 5, 8]),
  ])
  func textAndEmpty(filter: String, expected: [Int64]) {
    #expect(Fixture.ids(where: filter) == expected, "\(filter)")
  }

  @Test(arguments: [
    ("value > 50k", [6, 8] as [Int64]),
    ("value >= 50k", [2, 6, 8]),
    ("value < 1.5k", [1]),
    ("value = 1000", [1]),
    ("value between 3000 and 20k", [3, 4, 7]),
    ("value in (1000, 3k)", [1, 7]),
    ("value > 0.1m", [6, 8]),
    ("id <= 2", [1, 2]),
    ("id in (3, 5)", [3, 5]),
  ])
  func numbers(filter: String, expected: [Int64]) {
    #expect(Fixture.ids(where: filter) == expected, "\(filter)")
  }

  @Test(arguments: [
    ("stage = won", [3] as [Int64]),
    ("stage = LEAD", [1, 6]),
    ("stage in (lead, pilot)", [1, 6, 7]),
    ("stage != lead", [2, 3, 4, 5, 7, 8]),
    ("stage >= qualified", [2, 3, 4, 5]),
    ("stage < proposal", [1, 2, 8]),
    ("pipeline = partners", [6, 7]),
    ("status = open", [1, 2, 5, 6, 7, 8]),
    ("status in (won, lost)", [3, 4]),
    ("tag = priority", [1, 6]),
    ("tags = EMEA", [1]),
    ("tag != priority", [2, 3, 4, 5, 7, 8]),
    ("tag in (smb, enterprise)", [7, 8]),
    ("tag ~ pri", [1, 6, 8]),
    ("tags is empty", [2, 3, 4, 5]),
  ])
  func stagesAndTags(filter: String, expected: [Int64]) {
    #expect(Fixture.ids(where: filter) == expected, "\(filter)")
  }

  @Test(arguments: [
    // not > and > or.
    ("owner = alice or owner = bob and value > 30k", [1, 2, 6] as [Int64]),
    ("(owner = alice or owner = bob) and value > 30k", [2, 6]),
    ("not owner = alice and value > 30k", [2, 8]),
    ("not (owner = alice and value > 30k)", [1, 2, 3, 4, 5, 7, 8]),
    ("not not stage = won", [3]),
    ("stage = won or stage = lost or value > 100k", [3, 4, 6, 8]),
  ])
  func precedence(filter: String, expected: [Int64]) {
    #expect(Fixture.ids(where: filter) == expected, "\(filter)")
  }

  /// Two-valued logic: for any test, X and not X partition the deals.
  @Test(arguments: [
    "source = referral", "value > 10k", "last_interaction > 90d", "owner ~ a", "tag = priority",
    "stage >= qualified", "expected_close < today", "value between 1k and 10k",
  ])
  func notIsTheComplement(filter: String) {
    let positive = Set(Fixture.ids(where: filter))
    let negative = Set(Fixture.ids(where: "not (\(filter))"))
    #expect(positive.isDisjoint(with: negative))
    #expect(positive.union(negative) == Set(1...8))
  }

  @Test func calendarMonthsClampToTheLastDay() {
    let day = Day(iso: "2026-03-31")!
    #expect(Duration(1, .months).subtracted(from: day) == Day(iso: "2026-02-28"))
    #expect(Duration(6, .months).subtracted(from: Day(iso: "2026-06-15")!) == Day(iso: "2025-12-15"))
    #expect(Duration(1, .quarters).added(to: Day(iso: "2024-11-30")!) == Day(iso: "2025-02-28"))
    #expect(Duration(1, .years).subtracted(from: Day(iso: "2024-02-29")!) == Day(iso: "2023-02-28"))
    #expect(Duration(2, .weeks).added(to: day) == Day(iso: "2026-04-14"))
  }

  @Test func daysRoundTripThroughText() {
    for number in stride(from: -700_000, to: 2_900_000, by: 997) {
      let day = Day(number: Int32(number))
      #expect(Day(iso: day.description) == day)
    }
    #expect(Day(iso: "2026-02-29") == nil)
    #expect(Day(iso: "2024-02-29") != nil)
    #expect(Day(iso: "2026-13-01") == nil)
  }
}
