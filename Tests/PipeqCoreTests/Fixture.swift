import Foundation
import PipeqCore
import Testing

/// A small hand-built pipeline whose answers can be worked out by reading it.
/// `today` is 2026-06-15, so today − 90d is 2026-03-17.
enum Fixture {
  static let today = Day(iso: "2026-06-15")!

  static let csv = """
    id,name,account,contact,owner,pipeline,stage,value,currency,source,lost_reason,tags,created,stage_entered,expected_close,closed,last_interaction
    1,Alpha renewal,Acme,Ana Silva,alice,sales,lead,1000,USD,referral,,priority;emea,2026-01-10,2026-01-10,2026-07-01,,2026-06-10
    2,Beta pilot,Müller GmbH,Ben Carter,bob,sales,qualified,50000,USD,website,,,2025-12-01,2026-02-01,,,2026-03-01
    3,Gamma expansion,STRASSE AG,Chloé Dubois,Bob,sales,won,20000,EUR,,,,2025-10-01,2026-05-01,,2026-05-01,2026-05-01
    4,Delta seats,Acme,Dmitri Volkov,carol,sales,lost,7000,USD,event,no budget,,2025-09-01,2026-01-15,,2026-01-15,2026-01-10
    5,Epsilon,Initech,,,sales,proposal,,USD,,,,2026-03-01,2026-05-20,,,
    6,Zeta partner deal,Globex,Farah Khan,alice,partners,lead,120000,USD,partner,,priority,2026-02-01,2026-04-01,,,2026-03-16
    7,Eta,東京 Trading,Hiro Tanaka,dave,partners,pilot,3000,USD,referral,,smb,2026-02-01,2026-03-17,2026-06-30,,2026-03-17
    8,"Theta, the big one",Hooli,Grace Lee,carol,sales,contacted,250000,USD,outbound,,enterprise,2026-04-01,2026-04-02,2026-09-30,,2026-06-14
    """

  static func database() -> Database {
    let database = Database()
    let importer = CSVImporter(table: database.table, today: today)
    let (mutation, _) = try! importer.makeMutation(
      bytes: Array(csv.utf8), fileName: "fixture.csv", statement: ".import fixture.csv")
    try! database.commit(mutation)
    return database
  }

  /// A store at `path` holding the fixture's deals (imported, journaled).
  static func store(at path: String) throws -> Database {
    let database = try Database.reopen(path)
    let (mutation, _) = try CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "f", statement: "")
    try database.commit(mutation)
    return database
  }

  /// Each statement is refused with its message and a caret at (column, width).
  static func expectRefusals(
    _ cases: [(statement: String, message: String, column: Int, width: Int)], in database: Database,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (statement, message, column, width) in cases {
      let error = error(statement, in: database)
      #expect(error.contains(message), "\(statement): \(error)", sourceLocation: sourceLocation)
      #expect(
        error.contains(caretLine(column: column, width: width)), "\(statement): \(error)",
        sourceLocation: sourceLocation)
    }
  }

  /// Runs one statement; throws its diagnostic.
  @discardableResult
  static func run(_ text: String, on database: Database, dryRun: Bool = false) throws(DiagnosticError)
    -> Engine.Outcome
  {
    let source = SourceText(name: "<command>", text: text)
    let statement = try Parser.parse(source)
    let engine = Engine(database: database, options: .init(today: today, dryRun: dryRun))
    return try engine.execute(statement, source: source, span: Span(0, source.bytes.count))
  }

  /// The ids `list id where FILTER` returns.
  static func ids(where filter: String, in database: Database = database()) -> [Int64] {
    guard case .table(let table) = try! run("list id where \(filter)", on: database).result else {
      Issue.record("not a table")
      return []
    }
    return table.rows.map { row in
      if case .integer(let id) = row[0] { return id }
      return -1
    }
  }

  /// The line a rendered error draws under the statement: a caret at `column` (from 0)
  /// and tildes to `width` characters.
  static func caretLine(column: Int, width: Int) -> String {
    "  | " + String(repeating: " ", count: column) + "^" + String(repeating: "~", count: width - 1) + "\n"
  }

  /// The rendered error a statement produces, or "" when it runs.
  static func error(_ text: String, in database: Database = database()) -> String {
    do {
      try run(text, on: database)
      return ""
    } catch {
      return DiagnosticRenderer.render(error.diagnostic)
    }
  }

  static func table(_ text: String, in database: Database = database()) throws -> ResultTable {
    guard case .table(let table) = try run(text, on: database).result else {
      throw DiagnosticError(.error("not a table"))
    }
    return table
  }

  /// What `explain` prints for a statement.
  static func plan(_ text: String, on database: Database = database()) throws -> String {
    guard case .plan(let plan) = try run(text, on: database).result else {
      throw DiagnosticError(.error("not a plan"))
    }
    return plan
  }

  /// A report's result (board, health, …).
  static func reportResult(_ text: String, in database: Database = database()) throws -> ReportResult {
    guard case .report(let report) = try run(text, on: database).result else {
      throw DiagnosticError(.error("not a report"))
    }
    return report
  }

  static func report(_ text: String, in database: Database, dryRun: Bool = false) throws -> ActionReport {
    guard case .action(let report) = try run(text, on: database, dryRun: dryRun).result else {
      throw DiagnosticError(.error("not an action"))
    }
    return report
  }
}

extension Database {
  /// Reopens a store in a test. Other tests start processes: between fork and exec a
  /// child briefly holds a copy of this process's lock descriptor, so a reopen right
  /// after closing may see the store as still in use. Retry for a moment.
  static func reopen(_ path: String, readOnly: Bool = false) throws(DiagnosticError) -> Database {
    for _ in 0..<100 {
      do {
        return try Database(path: path, readOnly: readOnly)
      } catch {
        guard error.diagnostic.message.contains("is in use by PID") else { throw error }
        usleep(10_000)
      }
    }
    return try Database(path: path, readOnly: readOnly)
  }
}
