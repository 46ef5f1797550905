import PipeqCore
import Testing

@Suite struct CSVReaderTests {
  static func records(_ text: String) throws -> [[String]] {
    var reader = CSVReader(bytes: Array(text.utf8))
    var out: [[String]] = []
    while let record = try reader.next() { out.append(record.fields) }
    return out
  }

  @Test func rfc4180Quoting() throws {
    let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n"
    #expect(try Self.records(text) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "", ""]])
  }

  @Test func bomIsSkippedAndLinesCounted() throws {
    var reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("id\n1\n\"a\nb\"\n2\n".utf8))
    var lines: [Int] = []
    var first: [String] = []
    while let record = try reader.next() {
      if first.isEmpty { first = record.fields }
      lines.append(record.line)
    }
    #expect(first == ["id"])
    #expect(lines == [1, 2, 3, 5])
  }

  @Test func malformedQuotingIsAnError() {
    #expect(throws: CSVReader.Failure.unterminatedQuote(line: 2)) { try Self.records("a\n\"open\n") }
    #expect(throws: CSVReader.Failure.textAfterQuote(line: 1)) { try Self.records("\"a\"b,c\n") }
  }
}

@Suite struct ValueParserTests {
  @Test(arguments: [
    ("12500", 1_250_000 as Int64, nil as String?),
    ("$12,500.00", 1_250_000, "USD"),
    ("12,500", 1_250_000, nil),
    ("1.234,56 €", 123_456, "EUR"),
    ("£900", 90_000, "GBP"),
    ("EUR 900.5", 90_050, "EUR"),
    ("1,5", 150, nil),
    ("(1,200)", -120_000, nil),
    ("-42.125", -4_213, nil),
    ("1.234.567", 123_456_700, nil),
    ("12.5k", 1_250_000, nil),
    ("1.2M", 120_000_000, nil),
    ("$3k", 300_000, "USD"),
    ("1.005k", 100_500, nil),
  ])
  func amounts(cell: String, cents: Int64, currency: String?) {
    let parsed = ValueParser.amount(cell)
    #expect(parsed?.cents == cents, "\(cell)")
    #expect(parsed?.currency == currency, "\(cell)")
  }

  @Test func notAmounts() {
    for cell in ["", "abc", "k", "12kk", "1 2 3x", "--5"] { #expect(ValueParser.amount(cell) == nil, "\(cell)") }
  }

  @Test func dates() {
    #expect(ValueParser.day("2026-03-01") == Day(iso: "2026-03-01"))
    #expect(ValueParser.day("2026-03-01T10:30:00Z") == Day(iso: "2026-03-01"))
    #expect(ValueParser.day("2026-03-01 23:59") == Day(iso: "2026-03-01"))
    #expect(ValueParser.day("2026/03/01") == Day(iso: "2026-03-01"))
    #expect(ValueParser.day("03/01/2026") == nil)
    #expect(ValueParser.day("2026-02-30") == nil)
    #expect(ValueParser.day("2026-03-01x") == nil)
  }
}

@Suite struct CSVImportTests {
  static func importing(_ csv: String, into database: Database = Database()) throws(DiagnosticError)
    -> CSVImporter.Report
  {
    let importer = CSVImporter(table: database.table, today: Fixture.today)
    let (mutation, report) = try importer.makeMutation(
      bytes: Array(csv.utf8), fileName: "deals.csv", statement: ".import deals.csv")
    try database.commit(mutation)
    return report
  }

  static func failure(_ csv: String, into database: Database = Database()) -> String {
    do {
      _ = try importing(csv, into: database)
      return ""
    } catch {
      return DiagnosticRenderer.render(error.diagnostic)
    }
  }

  @Test func spreadsheetHeadersAndAliases() throws {
    let database = Database()
    let report = try Self.importing(
      """
      Deal Name,Amount,Company,Deal Owner,Deal Stage,Close Date,Created Date,Last Activity,Lead Source,Labels,Notes
      Big one,"$12,500.00",Acme,Alice,Qualified,2026-07-01,2026-01-02T09:00:00Z,2026-06-01,Referral,"a; b",call back
      Small one,900,Globex,bob,Closed Won,,2026-01-05,,web,,
      """, into: database)
    #expect(report.imported == 2)
    #expect(
      report.notices == [
        "ignored unknown column: Notes", "took the currency of 1 deals from the symbol in their amount",
      ])
    let deal = database.table.deal(at: 0)
    #expect(deal.id == 1)
    #expect(deal[text: .name] == "Big one")
    #expect(deal.value == 1_250_000)
    #expect(deal[text: .currency] == "USD")
    #expect(deal[text: .account] == "Acme")
    #expect(deal[text: .owner] == "Alice")
    #expect(deal.stage == "qualified")
    #expect(deal[date: .expectedClose] == Day(iso: "2026-07-01"))
    #expect(deal[date: .created] == Day(iso: "2026-01-02"))
    #expect(deal[date: .lastInteraction] == Day(iso: "2026-06-01"))
    #expect(deal[text: .source] == "Referral")
    #expect(deal.tags == ["a", "b"])
    let second = database.table.deal(at: 1)
    #expect(second.id == 2)
    #expect(second.stage == "won")
    #expect(second.value == 90_000)
  }

  @Test func headerSpellingsAreEquivalent() {
    for header in ["last_interaction", "Last Interaction", "LAST-INTERACTION", "lastinteraction"] {
      #expect(ColumnMatcher.field(forHeader: header) == .lastInteraction, "\(header)")
    }
    #expect(ColumnMatcher.field(forHeader: "Sales Rep") == .owner)
    #expect(ColumnMatcher.field(forHeader: "Organization") == .account)
    #expect(ColumnMatcher.field(forHeader: "Title") == .name)
    #expect(ColumnMatcher.field(forHeader: "Deal Value") == .value)
    #expect(ColumnMatcher.field(forHeader: "Expected Close Date") == .expectedClose)
    #expect(ColumnMatcher.field(forHeader: "Favourite colour") == nil)
  }

  @Test func newPipelinesAndStagesAreCreatedInOrder() throws {
    let database = Database()
    let report = try Self.importing(
      """
      id,pipeline,stage
      1,renewals,notice
      2,renewals,won
      3,renewals,negotiating
      4,sales,demo
      5,,lead
      """, into: database)
    #expect(
      report.notices == ["new pipeline 'renewals': notice, negotiating, won, lost", "new stage in 'sales': demo"])
    let catalog = database.table.pipelines
    let sales = catalog.pipelines[0].stages.map { catalog.stages[Int($0)].name }
    // A demo comes before a proposal in sales work, whatever order the file shows.
    #expect(sales == ["lead", "contacted", "qualified", "demo", "proposal", "won", "lost"])
    #expect(database.table.deal(at: 4).pipeline == "sales")
  }

  @Test func aBadRowAbortsWithFileLineAndColumn() {
    let database = Database()
    #expect(
      Self.failure(
        """
        id,name,stage,value
        1,a,lead,100
        2,b,lead,lots
        """, into: database) == """
          error: 'lots' is not an amount (column value)
           --> deals.csv:3, column 4
            = help: amounts like 12500, 12,500.00, $12,500 or 1.234,56 €

          """)
    #expect(database.table.count == 0)
    #expect(Self.failure("id,stage,created\n1,lead,2026-02-30\n").contains("deals.csv:2, column 3"))
    #expect(Self.failure("id,stage\n1,lead\n1,lead\n").contains("duplicate id 1: line 2 has it too"))
    #expect(Self.failure("id,stage\n1,\n").contains("the stage is empty"))
    // A file without stages is a leads export: open deals (CRMExportTests has the rest).
    #expect(Self.failure("name,value\na,1\n") == "")
    #expect(Self.failure("id,stage\n1,lead,extra\n").contains("this row has 3 cells, the header has 2"))
    #expect(Self.failure("id,stage\n\"1,lead\n").contains("a quoted field is never closed"))
    #expect(Self.failure("").contains("is empty: a header row is required"))
    // Ids that are not numbers are the CRM's: pipeq numbers the deals itself.
    #expect(Self.failure("id,stage\nx,lead\n") == "")
  }

  /// Cells are stored as they are found; a bad cell must still give way to what a pass
  /// over the whole record reports first: a broken quote or a surplus cell after it.
  @Test func theFirstProblemInARowIsTheOneReported() {
    let header = "id,stage,created\n"
    #expect(
      Self.failure(header + "1,lead,someday,extra\n").contains("deals.csv:2\n")
        && Self.failure(header + "1,lead,someday,extra\n").contains("this row has 4 cells, the header has 3"))
    #expect(Self.failure(header + "1,lead,someday,\"open\n").contains("a quoted field is never closed"))
    #expect(Self.failure(header + "1,lead,someday,\"x\"y\n").contains("text after a closing quote"))
    // Surplus cells that are empty are no problem: the bad date is.
    #expect(Self.failure(header + "1,lead,someday,, \n").contains("deals.csv:2, column 3"))
    #expect(Self.failure(header + "1,lead,2026-01-01,, \n") == "")
    // A line of spaces is skipped like a blank one, whatever its column holds.
    #expect(Self.failure("created,stage\n   \n2026-01-01,lead\n") == "")
  }

  /// One lookup serves every column of a piece: the same text in two columns must land
  /// in each column's own dictionary.
  @Test func eachColumnKeepsItsOwnValues() throws {
    let database = Database()
    _ = try Self.importing(
      """
      account,contact,owner,stage
      zed,amy,amy,lead
      amy,zed,zed,lead
      amy,amy,zed,lead
      """, into: database)
    let deals = (0..<3).map { database.table.deal(at: $0) }
    #expect(deals.map { $0[text: .account] } == ["zed", "amy", "amy"])
    #expect(deals.map { $0[text: .contact] } == ["amy", "zed", "amy"])
    #expect(deals.map { $0[text: .owner] } == ["amy", "zed", "zed"])
  }

  /// Doubled quotes in the pipeline and stage cells, with another quoted cell after
  /// them in the row: each keeps its own undoubled text.
  @Test func doubledQuotesInPipelineStageAndName() throws {
    let database = Database()
    let report = try Self.importing(
      #"""
      pipeline,stage,name
      "the ""big"" one","first ""call""","a ""quoted"" name"
      "the ""big"" one","first ""call""",plain
      """#, into: database)
    #expect(report.notices == ["new pipeline 'the \"big\" one': first \"call\", won, lost"])
    let deal = database.table.deal(at: 0)
    #expect(deal.pipeline == "the \"big\" one")
    #expect(deal.stage == "first \"call\"")
    #expect(deal[text: .name] == "a \"quoted\" name")
    #expect(database.table.deal(at: 1).stage == "first \"call\"")
  }

  /// Next week's export: deals already in the store are updated, new ones added, and
  /// the rest of the store is left alone.
  @Test func anIdAlreadyInTheStoreIsAnUpdate() throws {
    let database = Fixture.database()
    let report = try Self.importing("id,stage,value\n9,lead,5\n3,won,20000\n2,proposal,50000\n", into: database)
    #expect(report.imported == 1)
    #expect(report.updated == 1)
    #expect(report.unchanged == 1)
    #expect(report.notices.contains { $0.hasPrefix("6 deals in the store are not in the file and were left alone") })
    #expect(Fixture.ids(where: "stage = proposal", in: database) == [2, 5])
    #expect(database.table.count == 9)
    // The stage change is in the history, on the import's day.
    let history = database.table.history
    #expect(history.ids.indices.contains { history.ids[$0] == 2 && history.days[$0] == Fixture.today.number })
    // A pipeline change is refused: nothing changes.
    let before = database.table
    #expect(
      Self.failure("id,pipeline,stage\n1,partners,lead\n", into: database).contains("deal 1 is in pipeline sales"))
    #expect(database.table == before)
  }

  @Test func importedDealsWithoutIdsFollowTheHighest() throws {
    let database = Fixture.database()
    _ = try Self.importing("name,stage\nnew one,lead\n", into: database)
    #expect(database.table.ids.last == 9)
  }

  @Test func exportThenImportReproducesTheStore() throws {
    let original = Fixture.database()
    try Fixture.run("tag x where id = 3", on: original)
    let table = original.table
    let rows = (0..<table.count).map { row in Field.stored.map { table.value($0, at: row, today: Fixture.today) } }
    let csv = CSVWriter.render(ResultTable(columns: Field.stored.map(\.rawValue), rows: rows))
    let copy = Database()
    _ = try Self.importing(csv, into: copy)
    #expect(copy.table.count == table.count)
    for row in 0..<table.count { #expect(copy.table.deal(at: row) == table.deal(at: row)) }
    #expect(copy.table.pipelines == table.pipelines)
  }

  @Test func generatedPipelineRoundTrips() throws {
    let csv = PipelineGenerator(seed: 7, today: Fixture.today).csv(count: 500)
    let first = Database()
    _ = try Self.importing(csv, into: first)
    let table = first.table
    let rows = (0..<table.count).map { row in Field.stored.map { table.value($0, at: row, today: Fixture.today) } }
    let exported = CSVWriter.render(ResultTable(columns: Field.stored.map(\.rawValue), rows: rows))
    let second = Database()
    _ = try Self.importing(exported, into: second)
    #expect(second.table == first.table)
  }
}

/// One decimal mark per amount column, from all its values.
@Suite struct AmountColumnTests {
  @Test func theColumnDecidesWhatALoneMarkMeans() {
    #expect(AmountColumn.mark(of: ["1.234", "99,50", ""]) == .comma)
    #expect(AmountColumn.mark(of: ["1,234", "12.5"]) == .point)
    #expect(AmountColumn.mark(of: ["1.234", "5"]) == nil)
    #expect(AmountColumn.mark(of: ["1,5", "2.5"]) == nil)
    #expect(AmountColumn.normalized("1.234", .comma) == "1234")
    #expect(AmountColumn.normalized("1.234,56 €", .comma) == "1234.56 €")
    #expect(AmountColumn.normalized("$12,500", .point) == "$12500")
    // No cell tells: a lone mark before three digits groups thousands.
    #expect(AmountColumn.normalized("1.234", nil) == "1234")
    #expect(AmountColumn.normalized("1,5", nil) == "1,5")
  }

  /// A European sheet: `1.234` beside `99,50` is 1,234.00, not 1.23.
  @Test func aSemicolonSheetReadsItsAmountsWithOneMark() throws {
    let (database, notices) = try CRMExportTests.imported(
      "nombre;etapa;importe\na;Propuesta;1.234\nb;Propuesta;99,50\n")
    #expect(database.table.value == [123_400, 9_950])
    #expect(notices.contains("amounts in 'importe' read with a decimal comma"))
  }
}

extension AmountColumnTests {
  /// A comma file whose amounts are German (`"1.234,00"`, `1.500`): one mark for all.
  @Test func aCommaFileWithEuropeanAmountsIsRewritten() throws {
    let (database, notices) = try CRMExportTests.imported("name,stage,value\na,lead,\"1.234,00\"\nb,lead,1.500\n")
    #expect(database.table.value == [123_400, 150_000])
    #expect(notices.contains("amounts in 'value' read with a decimal comma"))
  }
}
