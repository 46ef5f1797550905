import Testing

@testable import PipeqCore

/// `show`: one deal whole, one field per line, with its latest changes.
@Suite struct ShowTests {
  @Test func aDealIsShownWholeWithItsLatestChanges() throws {
    let database = Fixture.database()
    try Fixture.run("move to proposal where id = 2", on: database)
    let text = try Fixture.reportResult("show 2", in: database).text(80)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "deal 2")
    #expect(lines.contains("  name              Beta pilot"))
    #expect(lines.contains("  account           Müller GmbH"))
    #expect(lines.contains("  stage             proposal"))
    #expect(lines.contains("  value             50,000"))
    // Derived fields are there too, and an empty field is an empty line, not padding.
    #expect(lines.contains("  status            open"))
    #expect(lines.contains("  idle              106d"))
    #expect(lines.contains("  expected_close"))
    #expect(lines.contains { $0.hasPrefix("  probability       ") && $0.hasSuffix("%") })
    #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    #expect(lines.contains { $0.contains("#1 ") && $0.contains("(deal): (none) → created") })
    #expect(lines.contains { $0.contains("#2 ") && $0.contains("stage: qualified → proposal") })
  }

  /// Nothing is cut: a long value wraps under itself within the width.
  @Test func aLongValueWrapsToTheWidth() throws {
    let database = Fixture.database()
    let long = "Enterprise platform renewal with three regional rollouts and a pilot"
    try Fixture.run("set name = '\(long)' where id = 8", on: database)
    for width in [40, 60, 200] {
      let text = try Fixture.reportResult("show 8", in: database).text(width)
      let lines = text.split(separator: "\n").map(String.init)
      #expect(lines.allSatisfy { $0.displayWidth <= max(width, 32) }, "width \(width)")
      let nameLines = lines.drop { !$0.hasPrefix("  name ") }.prefix { !$0.hasPrefix("  account") }
      let joined = nameLines.map { $0.dropFirst(20) }.joined(separator: " ")
      #expect(joined == long, "width \(width)")
    }
  }

  @Test func showWhereShowsTheFirstTenAndSaysHowManyMatch() throws {
    let database = Fixture.database()
    for id in 9...20 { try Fixture.run("add deal \"Deal \(id)\" stage lead in sales owner alice", on: database) }
    let report = try Fixture.reportResult("show where owner = alice", in: database)
    let text = report.text(100)
    #expect(text.components(separatedBy: "\ndeal ").count == 10)
    #expect(text.hasSuffix("(10 of 14 deals; narrow the filter to see the others)\n"))
    // CSV: a row per field of each shown deal.
    #expect(report.table.columns == ["id", "field", "value"])
    #expect(report.table.rows.count == 10 * DealCard.shownFields.count)
  }

  @Test func anUnknownDealIsAnErrorAtItsId() {
    let error = Fixture.error("show 99")
    #expect(error.contains("there is no deal 99"))
    #expect(error.contains(Fixture.caretLine(column: 5, width: 2)))
    #expect(Fixture.error("show bob").contains("expected a deal id or where"))
  }
}
