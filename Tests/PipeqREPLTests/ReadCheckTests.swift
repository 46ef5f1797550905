import Foundation
import PipeqCore
import Testing

@testable import PipeqShell

/// Collects what the shell writes.
final class CollectedOutput: TextOutput {
  var text = ""
  func write(_ text: String) { self.text += text }
  func flush() {}
  var failure: String? { nil }
}

/// `.read` typed in the interactive session checks the script whole before it runs.
@Suite struct ReadCheckTests {
  @Test func aScriptReadInTheSessionIsCheckedWhole() throws {
    let database = Database()
    let csv = "name,stage,value\nAlpha,lead,10\nBeta,won,20\n"
    let (mutation, _) = try CSVImporter(table: database.table, today: Day(iso: "2026-06-15")!).makeMutation(
      bytes: Array(csv.utf8), fileName: "f.csv", statement: ".import f.csv")
    try database.commit(mutation)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("read-\(UUID().uuidString).pq").path
    try "tag seen where id > 0\n.mode yaml\n".write(toFile: path, atomically: true, encoding: .utf8)
    let output = CollectedOutput()
    let errors = CollectedOutput()
    let shell = Shell(
      engine: Engine(database: database, options: .init(today: Day(iso: "2026-06-15")!)), format: .csv,
      output: output, errors: errors)
    let source = SourceText(name: "<repl>", text: ".read \(path)")
    #expect(!shell.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count)))
    #expect(errors.text.contains("unknown mode 'yaml'"))
    #expect(database.table.tags.codes.allSatisfy { $0 == 0 })
  }
}
