import Foundation
import PipeqCore
import Testing

@testable import PipeqREPL

@Suite struct CompleterTests {
  let completer = Completer(
    vocabulary: .init(
      values: [.owner: ["alice", "bob", "Jean Paul"], .tags: ["priority", "emea"], .source: ["referral", "web"]],
      pipelines: ["sales", "partners"], stages: ["lead", "contacted", "qualified", "proposal", "won", "lost"]),
    listFolder: { folder in folder == "." ? ["deals.csv", "data/", "demo.pipeq"] : folder == "data/" ? ["q3.csv"] : [] }
  )

  func candidates(_ text: String) -> [String] { completer.complete(text).candidates }

  @Test func statementKeywordsAtTheStart() {
    #expect(candidates("") == Keywords.statements)
    #expect(candidates("cl") == ["close"])
    #expect(candidates("un") == ["untag", "undo", "undefine"])
  }

  @Test func reportsAndPeriods() {
    #expect(candidates("boa") == ["board"])
    #expect(candidates("board ") == ["sales", "partners", "where", "as of"])
    #expect(candidates("health la") == ["last"])
    #expect(candidates("health last q") == ["quarter"])
    #expect(candidates("count where closed in ") == ["this", "last", "between"])
    #expect(candidates("list where stage in (") == ["lead", "contacted", "qualified", "proposal", "won", "lost"])
    #expect(candidates("funnel sales last year s") == ["strict"])
    #expect(candidates("health this month ") == ["where"])
    #expect(candidates("funnel st") == ["strict"])
  }

  @Test func fieldsAfterWhereAndOrBy() {
    #expect(candidates("list where pipel") == ["pipeline"])
    #expect(candidates("count where stage = won and last_") == ["last_interaction"])
    #expect(candidates("count where a = 1 or own") == ["owner"])
    #expect(candidates("count by sta") == ["stage", "stage_entered", "status", "stage_age"])
    #expect(candidates("list name order by val") == ["value"])
    #expect(candidates("list na") == ["name"])
  }

  @Test func liveValuesAfterAnEquals() {
    #expect(candidates("list where stage = qu") == ["qualified"])
    #expect(candidates("list where stage != l") == ["lead", "lost"])
    #expect(candidates("list where pipeline = pa") == ["partners"])
    #expect(candidates("list where owner = ") == ["alice", "bob", "'Jean Paul'"])
    #expect(candidates("list where owner = 'Je") == ["Jean Paul"])
    #expect(candidates("list where tag = pr") == ["priority"])
    #expect(candidates("list where source in (referral, w") == ["web"])
    #expect(candidates("list where status = w") == ["won"])
    #expect(candidates("move to pro") == ["proposal"])
    #expect(candidates("close l") == ["lost"])
  }

  @Test func savedQueryNames() {
    var vocabulary = Completer.Vocabulary(stages: ["lead"])
    vocabulary.savedFilters = ["stale"]
    vocabulary.savedStatements = ["review"]
    let completer = Completer(vocabulary: vocabulary)
    #expect(completer.complete("rev").candidates == ["review"])
    #expect(
      completer.complete("list where sta").candidates == ["stage", "stage_entered", "status", "stage_age", "stale"])
  }

  @Test func operatorsAfterAField() {
    #expect(candidates("list where value ") == ["=", "!=", "<", ">", "~", "in", "between", "is"])
    #expect(candidates("list where value > 5 ") == ["and", "or", "order by", "limit"])
  }

  @Test func dotCommandsAndPaths() {
    #expect(candidates(".im") == [".import"])
    #expect(candidates(".h") == [".help"])
    #expect(candidates(".import de") == ["deals.csv", "demo.pipeq"])
    #expect(candidates(".import data/") == ["q3.csv"])
    #expect(completer.complete(".import data/q").partial == "q")
    #expect(candidates(".mode j") == ["json"])
    #expect(candidates(".help fil") == ["filters"])
  }

  @Test func partialIsWhatGetsReplaced() {
    #expect(completer.complete("list where stage = qu").partial == "qu")
    #expect(completer.complete("list where ").partial == "")
  }

  @Test func commonPrefixAndColumns() {
    #expect(LibeditLineReader.commonPrefix(["stage", "stage_entered", "stage_age"]) == "stage")
    #expect(LibeditLineReader.commonPrefix(["Lead", "lost"]) == "L")
  }

  @Test func quotingValuesThatNeedIt() {
    #expect(Quoting.word("alice") == "alice")
    #expect(Quoting.word("Jean Paul") == "'Jean Paul'")
    #expect(Quoting.word("O'Brien") == "'O''Brien'")
    #expect(Quoting.word("Müller") == "Müller")
    #expect(Quoting.word("2026") == "'2026'")
  }
}

@Suite struct REPLRenderingTests {
  @Test func caretGoesUnderTheTokenBelowThePrompt() {
    let source = SourceText(name: "<input>", text: "list where stage = wonn")
    let diagnostic = Diagnostic(
      .error, "unknown stage 'wonn'", at: Span(19, 23), in: source, help: "did you mean 'won'?")
    #expect(
      REPL.render(diagnostic, promptWidth: 7, color: false) == """
                                  ^~~~
        error: unknown stage 'wonn'
          = help: did you mean 'won'?

        """)
    // With colour the caret is red and the label bold red.
    let coloured = REPL.render(diagnostic, promptWidth: 7, color: true)
    #expect(coloured.contains("\u{1B}[31m"))
    #expect(coloured.contains("\u{1B}[1;31merror\u{1B}[0m: unknown stage"))
  }

  @Test func multiLineInputUsesTheFullForm() {
    let source = SourceText(name: "<input>", text: "list where a = 1 and\nstage = wonn")
    let diagnostic = Diagnostic(.error, "unknown stage 'wonn'", at: Span(29, 33), in: source)
    #expect(REPL.render(diagnostic, promptWidth: 7, color: false).contains(" --> <input>:2:9"))
  }

  @Test func stagesAreColouredOnlyWhenAsked() {
    let table = ResultTable(
      columns: ["id", "stage"], rows: [[.integer(1), .text("won")], [.integer(2), .text("lost")]])
    let plain = REPL.renderer(color: false).render(table)
    #expect(!plain.contains("\u{1B}["))
    let coloured = REPL.renderer(color: true).render(table)
    #expect(coloured.contains(" 1  \u{1B}[32mwon\u{1B}[0m\n"))
    #expect(coloured.contains("\u{1B}[31mlost\u{1B}[0m"))
  }

  @Test func colourFollowsTheOptionAndNoColor() {
    #expect(Terminal.wantsColor(option: "never") == false)
    #expect(Terminal.wantsColor(option: "always") == true)
    // NO_COLOR turns auto off even on a terminal.
    setenv("NO_COLOR", "1", 1)
    #expect(Terminal.wantsColor(option: "auto") == false)
    #expect(Terminal.wantsColor(option: "always") == true)
  }

  @Test func tablesFitTheTerminalWidth() {
    let table = ResultTable(
      columns: ["id", "name", "value"],
      rows: [[.integer(1), .text("Józef Kowalski Sp. z o.o. — Platform expansion"), .money(1_000_000)]])
    let narrow = TableRenderer(maxWidth: 40).render(table)
    for line in narrow.split(separator: "\n") { #expect(line.count <= 40, "\(line)") }
    #expect(narrow.contains("…"))
    #expect(narrow.contains("10,000"))
  }
}

@Suite struct FileOptionCompletionTests {
  let completer = Completer(
    vocabulary: .init(), listFolder: { _ in ["deals.csv", "zoho.csv"] },
    readHeaders: { path in path == "zoho.csv" ? ["Potential Name", "Potential Owner", "Stage"] : [] })

  func candidates(_ text: String) -> [String] { completer.complete(text).candidates }

  @Test func importOptionsAndTheFilesOwnHeaders() {
    #expect(candidates(".import zoho.csv ") == ["dates", "map"])
    #expect(candidates(".import zoho.csv d") == ["dates"])
    #expect(candidates(".import zoho.csv dates ") == ["mdy", "dmy"])
    #expect(candidates(".import zoho.csv map ") == ["\"Potential Name\"", "\"Potential Owner\"", "\"Stage\""])
    #expect(candidates(".import zoho.csv map \"Potential Owner\" ") == ["="])
    #expect(candidates(".import zoho.csv map \"Potential Owner\" = ow") == ["owner"])
    #expect(candidates(".import zoho.csv dates dmy ") == ["dates", "map"])
  }

  @Test func exportOptionsAndChanges() {
    #expect(candidates(".export won.csv ") == ["raw", "where"])
    #expect(candidates(".export won.csv raw ") == ["where"])
    #expect(candidates(".export ch") == ["changes"])
    #expect(candidates(".export changes ") == ["since"])
    #expect(candidates(".export changes since #3 z") == ["zoho.csv"])
    #expect(candidates(".export changes since #3 back.csv ") == ["raw"])
    #expect(candidates(".export d") == ["deals.csv"])
  }
}

extension CompleterTests {
  @Test func addDealOffersFieldsThenTheirValues() {
    #expect(candidates("ad") == ["add"])
    #expect(candidates("add ") == ["deal", "stage"])
    #expect(candidates("add deal \"Acme\" ow") == ["owner"])
    #expect(candidates("add deal Acme owner ") == ["alice", "bob", "'Jean Paul'"])
    #expect(candidates("add deal Acme owner bob st") == ["stage", "stage_entered"])
    #expect(
      candidates("add deal Acme owner bob stage ") == ["lead", "contacted", "qualified", "proposal", "won", "lost"])
    #expect(candidates("add deal Acme owner bob in ") == ["sales", "partners"])
    #expect(!candidates("add deal Acme owner bob ").contains("owner"))
    #expect(candidates("show ") == ["where"])
  }
}

extension CompleterTests {
  @Test func shapingStatementsCompleteTheirWordsAndNames() {
    #expect(candidates("pipe") == ["pipelines"])
    #expect(candidates("create ") == ["pipeline"])
    #expect(candidates("create pipeline resellers ") == ["stages"])
    #expect(candidates("rename ") == ["pipeline", "stage"])
    #expect(candidates("rename pipeline ") == ["sales", "partners"])
    #expect(candidates("rename stage lead ") == ["to"])
    #expect(candidates("rename stage lead to x ") == ["in"])
    #expect(candidates("remove stage q") == ["qualified"])
    #expect(candidates("remove stage qualified ") == ["in", "into"])
    #expect(candidates("remove stage qualified in sales ") == ["into"])
    #expect(candidates("remove stage qualified in sales into c") == ["contacted"])
    #expect(candidates("add ") == ["deal", "stage"])
    #expect(candidates("add stage fridge ") == ["before", "after", "in"])
    #expect(candidates("add stage fridge after l") == ["lead", "lost"])
    #expect(candidates("add stage fridge after lost in ") == ["sales", "partners"])
    #expect(candidates("move ").prefix(2) == ["stage", "to"])
    #expect(candidates("move stage demo b") == ["before"])
    #expect(candidates("set stage fridge ") == ["kind", "probability", "rotting"])
    #expect(candidates("set stage fridge kind p") == ["parked"])
    #expect(candidates("list where status = ") == ["open", "won", "lost", "parked"])
  }
}
