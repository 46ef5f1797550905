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

/// The statement splitter and the continuation prompt find quoted text and comments by
/// the lexer's own rules, so they never cut or hold a statement the lexer reads whole.
@Suite struct SplitterAgreesWithTheLexerTests {
  static func unterminated(_ text: String) -> Bool {
    do {
      _ = try Lexer.tokens(SourceText(name: "t", text: text))
      return false
    } catch {
      return error.diagnostic.message.hasPrefix("unterminated text")
    }
  }

  @Test(arguments: GrammarTests.examples("ok") + GrammarTests.examples("error"))
  func everyGrammarExample(statement: String) {
    let source = SourceText(name: "grammar", text: statement)
    if Self.unterminated(statement) {
      #expect(StatementSplitter.needsMore(statement), "\(statement)")
    } else if GrammarTests.examples("ok").contains(statement) {
      #expect(!StatementSplitter.needsMore(statement), "\(statement)")
      #expect(StatementSplitter.split(source).count == statement.filter { $0 == ";" }.count + 1, "\(statement)")
    }
    // A complete statement on two lines reads as two statements.
    let twice = SourceText(name: "grammar", text: statement + "\n" + statement)
    if GrammarTests.examples("ok").contains(statement) && !statement.contains(";") {
      #expect(StatementSplitter.split(twice).count == 2, "\(statement)")
    }
  }

  /// A backslash before a quote stands for it, in every scanner: piped, the statement is
  /// complete at its line's end, and the prompt does not wait for more.
  @Test func anEscapedQuoteDoesNotOpenText() throws {
    let text = "count where name = 'it\\'s'\ncount where name = \"a\\\"b\" # done"
    let source = SourceText(name: "stdin", text: text)
    let spans = StatementSplitter.split(source)
    #expect(spans.map { source.slice($0) } == ["count where name = 'it\\'s'", "count where name = \"a\\\"b\" # done"])
    #expect(!StatementSplitter.needsMore("count where name = 'it\\'s'"))
    #expect(StatementSplitter.needsMore("count where name = 'it\\'s"))
    let tokens = try Lexer.tokens(SourceText(name: "t", text: "name = 'it\\'s' 'O''Brien' 'a\\\\'"))
    #expect(tokens.map(\.kind).contains(.string("it's")))
    #expect(tokens.map(\.kind).contains(.string("O'Brien")))
    #expect(tokens.map(\.kind).contains(.string("a\\")))
  }

  /// `#` before a digit is an action number in the splitter as in the lexer.
  @Test func anActionNumberIsNoComment() {
    let source = SourceText(name: "stdin", text: "undo #12\nhistory # the rest is a comment")
    #expect(
      StatementSplitter.split(source).map { source.slice($0) } == ["undo #12", "history # the rest is a comment"])
    #expect(!StatementSplitter.needsMore("list where name = 'x' # it's a comment"))
  }
}
