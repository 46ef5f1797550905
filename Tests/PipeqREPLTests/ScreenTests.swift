import Foundation
import PipeqCore
import Testing

@testable import PipeqShell

/// On a screen, a result taller than it goes through the pager; with the pager off a
/// table shows its first rows and says how to see them all. Scripts get everything.
@Suite struct ScreenTests {
  static func shell(screen: Screen?) throws -> (Shell, CollectedOutput) {
    let database = Database()
    let csv = "name,stage,value\n" + (1...100).map { "Deal \($0),lead,\($0 * 10)" }.joined(separator: "\n") + "\n"
    let today = Day(iso: "2026-06-15")!
    let (mutation, _) = try CSVImporter(table: database.table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "f.csv", statement: ".import f.csv")
    try database.commit(mutation)
    let output = CollectedOutput()
    let shell = Shell(
      engine: Engine(database: database, options: .init(today: today)), format: .table, output: output,
      errors: CollectedOutput())
    shell.screen = screen
    return (shell, output)
  }

  static func run(_ shell: Shell, _ text: String) -> Bool {
    shell.run(SourceText(name: "<input>", text: text))
  }

  @Test func withThePagerOffATableShowsItsFirstRows() throws {
    var screen = Screen(height: { 24 }, pagerCommand: "less -FRX")
    screen.pagerOn = false
    let (shell, output) = try Self.shell(screen: screen)
    #expect(Self.run(shell, "list name"))
    #expect(output.text.contains("Deal 40\n"))
    #expect(!output.text.contains("Deal 41\n"))
    #expect(output.text.contains("(40 of 100 deals; .rows all shows every row)"))
    output.text = ""
    #expect(Self.run(shell, ".rows 5\nlist name"))
    #expect(output.text.contains("(5 of 100 deals; .rows all shows every row)"))
    output.text = ""
    #expect(Self.run(shell, ".rows all\nlist name"))
    #expect(output.text.contains("Deal 100\n"))
    #expect(output.text.contains("(100 deals)"))
  }

  @Test func withoutAScreenEveryRowIsWritten() throws {
    let (shell, output) = try Self.shell(screen: nil)
    #expect(Self.run(shell, ".rows 5\nlist name"))
    #expect(output.text.contains("Deal 100\n"))
  }

  @Test func csvAndJSONAreNeverCut() throws {
    var screen = Screen(height: { 24 }, pagerCommand: nil)
    screen.pagerOn = false
    let (shell, output) = try Self.shell(screen: screen)
    #expect(Self.run(shell, ".mode csv\nlist name"))
    #expect(output.text.contains("Deal 100"))
    #expect(!output.text.contains("rows all"))
  }

  @Test func aResultTallerThanTheScreenIsPaged() {
    let screen = Screen(height: { 10 }, pagerCommand: "less -FRX")
    #expect(screen.shouldPage(String(repeating: "row\n", count: 9)))
    #expect(!screen.shouldPage(String(repeating: "row\n", count: 8)))
    var off = screen
    off.pagerOn = false
    #expect(!off.shouldPage(String(repeating: "row\n", count: 50)))
    // With a pager a table is not cut: the pager shows all of it.
    let table = StatementResult.table(ResultTable(columns: ["n"], rows: (1...100).map { [.integer(Int64($0))] }))
    guard case .table(let kept) = screen.capped(table) else { return #expect(Bool(false)) }
    #expect(kept.rows.count == 100)
  }

  @Test func thePagerIsPagerElseLess() {
    #expect(Screen.pager(chosen: nil, isInstalled: { $0 == "less" }) == "less -FRX")
    #expect(Screen.pager(chosen: nil, isInstalled: { _ in false }) == nil)
    #expect(Screen.pager(chosen: "more", isInstalled: { _ in true }) == "more")
    // An empty $PAGER turns paging off, as in psql.
    #expect(Screen.pager(chosen: "", isInstalled: { _ in true }) == nil)
  }

  @Test func pagedTextReachesThePager() throws {
    let path = "/tmp/pipeq-pager-\(getpid()).txt"
    defer { unlink(path) }
    #expect(Screen.page("first\nsecond\n", command: "cat > \(path)"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\nsecond\n")
    // A command that is not there shows nothing: the caller writes the text itself.
    #expect(!Screen.page("text\n", command: "pipeq-no-such-pager-\(getpid())"))
  }

  @Test func helpExitAndQuitAreWords() throws {
    let (shell, output) = try Self.shell(screen: nil)
    #expect(Self.run(shell, "help"))
    #expect(output.text.contains("Statements:"))
    output.text = ""
    #expect(Self.run(shell, "help filters"))
    #expect(output.text.contains("Precedence"))
    #expect(Self.run(shell, "exit"))
    #expect(shell.quitRequested)
    let (other, _) = try Self.shell(screen: nil)
    #expect(Self.run(other, "quit"))
    #expect(other.quitRequested)
  }

  @Test func fieldsListsEveryFieldWithItsMeaning() throws {
    let (shell, output) = try Self.shell(screen: nil)
    #expect(Self.run(shell, "fields"))
    for field in Field.allCases { #expect(output.text.contains(field.rawValue + " "), "\(field)") }
    #expect(output.text.contains("days since the last interaction"))
    let listed = output.text
    output.text = ""
    #expect(Self.run(shell, ".schema deals"))
    // A blank line comes between two results in a session.
    #expect(output.text == "\n" + listed)
  }
}
