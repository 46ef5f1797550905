import Foundation
import PipeqCore
import Testing

/// Bad input gets an error with a caret, never a signal, a hang or a silent clamp.
@Suite struct BoundsTests {
  /// Each of these crashed (SIGILL), looped or was silently clamped to today.
  @Test(arguments: [
    ("count where idle = 3000000000", "3000000000 days ago is outside the dates pipeq keeps", 19, 10),
    ("count where age = 99999999999999999999999k", "days ago is outside the dates pipeq keeps", 18, 24),
    ("count where stage_age in (-9223372036854775808)", "days ago is outside the dates pipeq keeps", 26, 20),
    ("count where last_interaction > 3000y", "3000y ago is outside the dates pipeq keeps", 31, 5),
    ("count where created > today + 100000y", "today + 100000y is outside the dates pipeq keeps", 22, 15),
    ("count where created > today - 99999999d", "99999999d is too long", 30, 9),
    ("list id limit 9223372036854775807", "9223372036854775807 is too large", 14, 19),
    ("define bad as idle = 3000000000", "3000000000 days ago is outside", 21, 10),
    ("count where created in last 3000y", "last 3000y reaches back before the dates pipeq keeps", 23, 10),
  ])
  func outOfRangeNumbersAreErrorsWithACaret(statement: String, message: String, column: Int, width: Int) {
    let rendered = Fixture.error(statement)
    #expect(rendered.contains(message), "\(rendered)")
    #expect(rendered.contains(Fixture.caretLine(column: column, width: width)), "\(rendered)")
  }

  @Test func aDateMovedPastYear9999IsRefusedAndNothingChanges() throws {
    let database = Fixture.database()
    try Fixture.run("set expected_close = 9999-12-31 where id = 1", on: database)
    let before = database.table
    let rendered = Fixture.error("set expected_close = expected_close + 1d where id <= 2", in: database)
    #expect(rendered.contains("for deal 1, 9999-12-31 + 1d is outside the dates pipeq keeps"), "\(rendered)")
    #expect(database.table == before)
    #expect(Fixture.error("set created = created - 999999w where id = 1", in: database).contains("outside the dates"))
    // Reports on that last day work.
    #expect(Fixture.error("count by month(expected_close)", in: database) == "")
  }

  @Test func calendarPeriodsOfYear9999EndOnItsLastDay() throws {
    let last = Day(iso: "9999-12-31")!
    let database = Fixture.database()
    for (period, span) in [
      ("this year", "9999-01-01 to 9999-12-31"), ("this quarter", "9999-10-01 to 9999-12-31"),
      ("this month", "9999-12-01 to 9999-12-31"),
    ] {
      let explained = Engine(database: database, options: .init(today: last))
      let source = SourceText(name: "t", text: "explain count where created in \(period)")
      guard
        case .plan(let text) = try explained.execute(
          Parser.parse(source), source: source, span: Span(0, source.bytes.count)
        ).result
      else {
        Issue.record("not a plan")
        continue
      }
      #expect(text.contains(span), "\(text)")
    }
    let engine = Engine(database: database, options: .init(today: last))
    let source = SourceText(name: "t", text: "count where created in this year")
    #expect(throws: Never.self) {
      _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
    }
    #expect(last.adding(days: 1) == last)
    #expect(Day(iso: "0001-01-01")!.adding(months: -1) == Day(iso: "0001-01-01")!)
  }

  @Test func aTrendAtTheEndOfTimeEnds() throws {
    let report = try Fixture.reportResult("trend count by month between 9999-12-01 and 9999-12-31")
    #expect(report.table.rows.count == 1)
  }

  @Test func deepNestingIsAnErrorNotAStackOverflow() {
    let parens =
      "count where " + String(repeating: "(", count: 10_000) + "id = 1" + String(repeating: ")", count: 10_000)
    #expect(Fixture.error(parens).contains("nested too deeply: at most 64 levels"))
    let nots = "count where " + String(repeating: "not ", count: 10_000) + "id = 1"
    #expect(Fixture.error(nots).contains("nested too deeply"))
    let sum = "set value = value" + String(repeating: " + 1", count: 100_000) + " where id = 1"
    #expect(Fixture.error(sum).contains("too many terms: at most 256 operators"))
    let tooMany = "count where " + (0..<10_001).map { "id = \($0)" }.joined(separator: " or ")
    #expect(Fixture.error(tooMany).contains("too many terms"))
  }

  @Test func aLongOrChainIsBalancedAndMeansTheSame() throws {
    let chain = "id = " + (1...5000).map(String.init).joined(separator: " or id = ")
    #expect(Fixture.ids(where: chain) == [1, 2, 3, 4, 5, 6, 7, 8])
    #expect(Fixture.ids(where: "id = 1 or id = 2 and stage = lead or id = 3") == [1, 3])
  }

  @Test func savedFiltersThatDoubleAreRefusedQuickly() throws {
    let database = Fixture.database()
    try Fixture.run("define f0 as id = 1", on: database)
    var refused = ""
    for level in 1...18 where refused.isEmpty {
      refused = Fixture.error("define f\(level) as f\(level - 1) or f\(level - 1)", in: database)
    }
    #expect(refused.contains("more than 10,000 tests once its saved filters are expanded"), "\(refused)")
    #expect(Fixture.ids(where: "f10", in: database) == [1])
  }

  @Test func moneyTotalsCannotWrapAround() throws {
    let database = Fixture.database()
    let before = database.table
    let rendered = Fixture.error("set value = 8999999999999999 where id > 0", in: database)
    #expect(rendered.contains("would add up to more than 46 quadrillion"), "\(rendered)")
    #expect(database.table == before)
    try Fixture.run("set value = 8999999999999999 where id = 1", on: database)
    guard case .table(let sum) = try Fixture.run("sum value by currency", on: database).result else {
      Issue.record("not a table")
      return
    }
    // The total is the stored value plus the other US dollar deals, not wrapped around.
    let stored = database.table.value[database.table.row(of: 1)!]
    #expect(stored > 899_999_999_999_000_000)
    #expect(sum.rows.contains { $0.contains(.money(stored + 43_000_000)) }, "\(sum.rows)")
  }

  @Test func visibleTextShowsControlCharacters() {
    #expect(VisibleText.of("\u{1B}[2Jx\u{07}\u{7F}\u{9B}y") == "^[[2Jx^G^?\u{FFFD}y")
    #expect(VisibleText.of("a\nb\tc") == "a^Jb^Ic")
    #expect(VisibleText.of("a\nb\tc", keepLines: true) == "a\nb\tc")
    #expect(VisibleText.of("Müller 東京") == "Müller 東京")
  }

  @Test func csvQuotingLooksAtBytes() {
    #expect(CSVWriter.escape("a\r\nb") == "\"a\r\nb\"")
    #expect(CSVWriter.escape(",\u{301}") == "\",\u{301}\"")
    #expect(CSVWriter.escape("\"\u{301}") == "\"\"\"\u{301}\"")
    #expect(CSVWriter.escape("plain") == "plain")
  }

  @Test func tagsHoldingTheSeparatorComeBackWhole() {
    let tags = ["a;b", "c,d", "back\\slash", "plain"]
    #expect(TagList.split(TagList.join(tags)) == tags)
    #expect(TagList.split("x; y,z") == ["x", "y", "z"])
  }
}

/// The file layer itself never writes through a name planted as a symlink: a file it
/// creates must be new, and the journal it appends to must be the file itself.
@Suite struct PlantedSymlinkTests {
  @Test func creatingOrAppendingThroughASymlinkFailsAndLeavesTheTargetAlone() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let victim = folder + "/victim"
    try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
    let planted = folder + "/store.pipeq.next"
    try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)
    let files = PosixFileSystem()
    #expect(throws: FileError.self) { try files.writeDurably(planted, Array("overwritten".utf8)) }
    #expect(throws: FileError.self) { _ = try files.openForAppend(planted) }
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    // Replacing a file renames over the name: the symlink goes, its target stays.
    try files.replaceAtomically(planted, with: Array("new\n".utf8))
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    #expect(try String(contentsOfFile: planted, encoding: .utf8) == "new\n")
  }
}
