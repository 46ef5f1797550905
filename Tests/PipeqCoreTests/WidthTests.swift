import Foundation
import PipeqCore
import Testing

/// Every report and table laid out at a terminal's width fits it: long text wraps,
/// columns that may go are left out (and said so), a total in several currencies is a
/// line per currency.
@Suite struct WidthTests {
  static let today = Day(iso: "2026-11-27")!

  /// The demo pipeline: EUR and USD deals, two pipelines, long deal names.
  nonisolated(unsafe) static let database: Database = {
    let database = Database()
    let csv = PipelineGenerator(seed: 11, today: today).csv(count: 3_000)
    let (mutation, _) = try! CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "demo.csv", statement: ".import demo.csv")
    try! database.commit(mutation)
    return database
  }()

  static let statements = [
    "board", "board partners", "health", "health last quarter", "funnel", "team", "team this year",
    "stale limit 10", "trend value by month(closed) where status = won", "history", "log deal 7", "fields",
    "pipelines", "list", "list name, account, contact, owner, stage, value, currency, source, tags, created",
    "count by owner, stage", "sum value by account order by sum desc limit 5", "show 7", "defs",
  ]

  static func text(_ statement: String, width: Int) throws -> String {
    let engine = Engine(database: database, options: .init(today: today))
    let source = SourceText(name: "t", text: statement)
    let outcome = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
    switch outcome.result {
    case .table(let table): return TableRenderer(maxWidth: width).render(table)
    case .report(let report): return report.text(width)
    default: return ""
    }
  }

  @Test(arguments: [60, 80, 120, 200])
  func everyReportFitsTheWidth(width: Int) throws {
    for statement in Self.statements {
      let text = try Self.text(statement, width: width)
      #expect(!text.isEmpty, "\(statement)")
      for line in text.split(separator: "\n") {
        #expect(String(line).displayWidth <= width, "\(statement) at \(width): \(line)")
      }
    }
  }

  @Test func aTotalInSeveralCurrenciesIsALinePerCurrency() throws {
    for statement in ["team", "health", "board"] {
      for width in [60, 200] {
        let text = try Self.text(statement, width: width)
        #expect(!text.contains(" EUR + "), "\(statement) at \(width)")
        #expect(text.contains(" EUR\n") || text.contains(" EUR "), "\(statement) at \(width)")
      }
    }
  }

  @Test func teamIsOrderedByWonValueInTheMainCurrency() throws {
    let engine = Engine(database: Self.database, options: .init(today: Self.today))
    let source = SourceText(name: "t", text: "team")
    let outcome = try engine.execute(try Parser.parse(source), source: source, span: Span(0, 4))
    guard case .report(let report) = outcome.result else { throw Failure.notAReport }
    let column = report.table.columns.firstIndex(of: "revenue_won")!
    // The machine table's revenue is a number in its one currency, or an amount per
    // currency; the main one (most deals) is USD.
    let usd = report.table.rows.map { row -> Double in
      guard case .text(let json) = row[column],
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
      else { return -1 }
      return (parsed as? [String: Double])?["USD"] ?? (parsed as? Double) ?? -1
    }
    #expect(!usd.contains(-1))
    #expect(usd.count > 3)
    #expect(usd == usd.sorted(by: >))
    #expect(try Self.text("team", width: 120).contains("owners ordered by won value in USD"))
  }

  @Test func columnsThatMayGoAreLeftOutAndSaidSo() throws {
    let narrow = try Self.text("stale limit 5", width: 60)
    #expect(narrow.contains("(left out to fit 60 columns: "))
    #expect(narrow.contains("limit_days"))
    #expect(narrow.split(separator: "\n")[0].contains("days_over"))
    let wide = try Self.text("stale limit 5", width: 200)
    #expect(!wide.contains("left out"))
    #expect(wide.split(separator: "\n")[0].contains("limit_days"))
  }

  @Test func longTextWrapsInsteadOfBeingCut() {
    var table = ResultTable(
      columns: ["name", "meaning"],
      rows: [[.text("stage"), .text("where the deal stands in its pipeline, compared by stage order")]])
    table.wrapping = ["meaning"]
    let text = TableRenderer(maxWidth: 40).render(table)
    #expect(!text.contains("…"))
    #expect(text.contains("where the deal stands"))
    #expect(text.contains("order"))
    #expect(text.split(separator: "\n").allSatisfy { String($0).displayWidth <= 40 })
    table.wrapping = []
    #expect(TableRenderer(maxWidth: 40).render(table).contains("…"))
  }

  @Test func aListTooWideLosesItsLastColumnsNotItsCells() throws {
    let statement = "list id, name, account, contact, owner, stage, value, currency, source, created"
    let text = try Self.text(statement, width: 80)
    let header = text.split(separator: "\n")[0]
    #expect(header.split(separator: " ").prefix(2) == ["id", "name"])
    #expect(!header.contains("created"))
    #expect(text.contains("(left out to fit 80 columns: "))
    #expect(text.contains("created"))
    // At 200 columns everything is there and nothing is cut.
    let wide = try Self.text(statement, width: 200)
    #expect(wide.split(separator: "\n")[0].hasSuffix("created"))
    #expect(!wide.contains("left out"))
  }

  @Test func aLongStatementInTheHistoryWrapsInsteadOfBeingCut() throws {
    let database = Fixture.database()
    let long = "set owner = carol where owner = bob and status = open or value > 100k and source in (event, outbound)"
    let source = SourceText(name: "t", text: long)
    let engine = Engine(database: database, options: .init(today: Self.today))
    _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
    let history = SourceText(name: "t", text: "history")
    guard
      case .table(let table) = try engine.execute(try Parser.parse(history), source: history, span: Span(0, 7)).result
    else { throw Failure.notAReport }
    let wide = TableRenderer(maxWidth: 160).render(table)
    #expect(wide.contains(long))
    let narrow = TableRenderer(maxWidth: 80).render(table)
    #expect(!narrow.contains("…"))
    #expect(narrow.contains("source in (event,"))
    #expect(narrow.split(separator: "\n").allSatisfy { String($0).displayWidth <= 80 })
  }

  @Test func numbersAreNeverCut() {
    let table = ResultTable(
      columns: ["name", "value"], rows: [[.text(String(repeating: "long name ", count: 10)), .money(123_456_789_00)]])
    let text = TableRenderer(maxWidth: 30).render(table)
    #expect(text.contains("123,456,789"))
  }

  enum Failure: Error { case notAReport }
}
