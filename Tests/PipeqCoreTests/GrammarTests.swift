import Foundation
import PipeqCore
import Testing

/// Keeps grammar/pipeq.ebnf true: every `ok:` example parses, every `error:` example
/// is refused, and every keyword the parser knows is in the grammar.
@Suite struct GrammarTests {
  static let grammar: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try! String(contentsOf: root.appendingPathComponent("grammar/pipeq.ebnf"), encoding: .utf8)
  }()

  static func examples(_ kind: String) -> [String] {
    grammar.split(separator: "\n").compactMap { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let prefix = "(* \(kind): "
      guard trimmed.hasPrefix(prefix), trimmed.hasSuffix(" *)") else { return nil }
      return String(trimmed.dropFirst(prefix.count).dropLast(3))
    }
  }

  @Test func thereAreExamples() {
    #expect(Self.examples("ok").count > 30)
    #expect(Self.examples("error").count > 15)
  }

  @Test(arguments: examples("ok"))
  func okExamplesParse(statement: String) {
    #expect(throws: Never.self) { try Parser.parse(SourceText(name: "grammar", text: statement)) }
  }

  @Test(arguments: examples("error"))
  func errorExamplesAreRefused(statement: String) {
    #expect(throws: DiagnosticError.self) { try Parser.parse(SourceText(name: "grammar", text: statement)) }
  }

  @Test func everyKeywordIsInTheGrammar() {
    for keyword in Keywords.statements { #expect(Self.grammar.contains("\"\(keyword)\""), "\(keyword)") }
    for command in Keywords.metaCommands { #expect(Self.grammar.contains("\".\(command)\""), "\(command)") }
  }
}
