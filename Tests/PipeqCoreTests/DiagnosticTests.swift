import PipeqCore
import Testing

/// Errors are found before anything runs and rendered with a caret under the token.
@Suite struct DiagnosticTests {
  @Test func unknownStageSuggestsTheNearest() {
    #expect(
      Fixture.error("list where stage = wonn") == """
        error: unknown stage 'wonn'
         --> <command>:1:20
        1 | list where stage = wonn
          |                    ^~~~
          = help: did you mean 'won'?

        """)
  }

  @Test func unknownFieldSuggestsTheNearest() {
    #expect(
      Fixture.error("close lost where stage != won and last_interation > 90d") == """
        error: unknown field 'last_interation'
         --> <command>:1:35
        1 | close lost where stage != won and last_interation > 90d
          |                                   ^~~~~~~~~~~~~~~
          = help: did you mean 'last_interaction'?

        """)
  }

  @Test func unitThatDoesNotFitADate() {
    #expect(
      Fixture.error("list where created > 10k") == """
        error: created is a date, but '10k' is a number
         --> <command>:1:22
        1 | list where created > 10k
          |                      ^~~
          = help: dates are YYYY-MM-DD, today, yesterday, tomorrow (± 14d); ages are durations such as 90d

        """)
  }

  @Test func unitThatDoesNotFitMoney() {
    #expect(
      Fixture.error("count where value > 3mo") == """
        error: value is money, but '3mo' is a duration
         --> <command>:1:21
        1 | count where value > 3mo
          |                     ^~~
          = help: numbers may end in k or m: 50k, 1.5m

        """)
  }

  @Test func malformedDateSaysWhy() {
    #expect(
      Fixture.error("list where created = 2026-02-30") == """
        error: invalid date '2026-02-30': February 2026 has 28 days
         --> <command>:1:22
        1 | list where created = 2026-02-30
          |                      ^~~~~~~~~~

        """)
    #expect(Fixture.error("list where created = 2026-13-01").contains("there is no month 13"))
  }

  @Test func bulkActionWithoutWhereIsRefused() {
    #expect(
      Fixture.error("close lost") == """
        error: close changes deals in bulk and needs a where filter
         --> <command>:1:11
        1 | close lost
          |           ^
          = help: say which deals, e.g. `close ... where stage = lead`

        """)
    for statement in ["delete", "move to won", "set owner = bob", "tag x", "untag x"] {
      #expect(Fixture.error(statement).contains("needs a where filter"), "\(statement)")
    }
  }

  @Test func unknownPipelineSuggestsTheNearest() {
    let text = Fixture.error("count where pipeline = partner")
    #expect(text.contains("error: unknown pipeline 'partner'"))
    #expect(text.contains("did you mean 'partners'?"))
  }

  @Test func unknownStageInAnActionChangesNothing() {
    let database = Fixture.database()
    let before = database.table
    #expect(Fixture.error("move to qualifed where id = 1", in: database).contains("did you mean 'qualified'?"))
    #expect(database.table == before)
  }

  @Test func syntaxErrorPointsAtTheToken() {
    #expect(
      Fixture.error("list where owner = bob adn value > 5") == """
        error: expected end of statement, found 'adn'
         --> <command>:1:24
        1 | list where owner = bob adn value > 5
          |                        ^~~
          = help: did you mean 'and'?

        """)
  }

  @Test func unclosedParenthesisPointsAtTheOpening() {
    #expect(
      Fixture.error("list where (owner = bob or value > 5") == """
        error: expected ')' to close the '(' opened here, found end of statement
         --> <command>:1:12
        1 | list where (owner = bob or value > 5
          |            ^

        """)
  }

  @Test func unknownStatementSuggests() {
    #expect(Fixture.error("lsit where id = 1").contains("unknown statement 'lsit'"))
    #expect(Fixture.error("lsit where id = 1").contains("did you mean 'list'?"))
  }

  @Test func caretFollowsNonASCIIText() {
    #expect(
      Fixture.error("list where account = 'Müller' and stag = won") == """
        error: unknown field 'stag'
         --> <command>:1:35
        1 | list where account = 'Müller' and stag = won
          |                                   ^~~~
          = help: did you mean 'stage'?

        """)
  }

  @Test func errorOnALaterLineOfAScript() {
    let source = SourceText(name: "weekly.pq", text: "count\nlist where stage = wonn\n")
    let spans = StatementSplitter.split(source)
    let statement = try! Parser.parse(source, span: spans[1])
    let engine = Engine(database: Fixture.database(), options: .init(today: Fixture.today))
    do {
      _ = try engine.execute(statement, source: source, span: spans[1])
      Issue.record("expected an error")
    } catch {
      #expect(
        DiagnosticRenderer.render(error.diagnostic).hasPrefix(
          """
          error: unknown stage 'wonn'
           --> weekly.pq:2:20
          2 | list where stage = wonn
            |                    ^~~~
          """))
    }
  }

  @Test(arguments: [
    ("list where tags > 3", "tags is text: compare it with =, !=, ~, !~ or in"),
    ("list where owner < bob", "owner is text: compare it with =, !=, ~, !~ or in"),
    ("list where value ~ 5", "~ tests text; value is money"),
    ("list where owner between a and b", "between needs numbers or dates; owner is text"),
    (
      "list where idle > 2026-01-01",
      "idle is a duration in days; compare it with a duration such as 90d, found '2026-01-01'"
    ),
    ("list where status = closed", "status is open, won or lost; found 'closed'"),
    ("list where id is empty", "id is never empty"),
    ("sum owner", "sum needs a number field; owner is text"),
    ("avg created", "avg needs a number field; created is a date"),
    ("count by value", "cannot group by value: it has too many distinct values"),
    ("set status = won where id = 1", "status cannot be set"),
    ("set stage = won where id = 1", "stage cannot be set"),
    ("set value = 'a lot' where id = 1", "value is money, but ''a lot'' is text"),
    ("set created = value + 1 where id = 1", "created is a date, but 'value + 1' is a number"),
    ("set owner = a, owner = b where id = 1", "owner is set twice"),
    ("set value = created + 1 where id = 1", "cannot compute a date + a number"),
    ("close won reason 'x' where id = 1", "a reason is only recorded for lost deals"),
    ("explain history", "explain shows the plan of list, count, sum/avg/min/max and bulk actions"),
    ("explain undo", "explain shows the plan of list, count, sum/avg/min/max and bulk actions"),
    ("list where value between 20k and 10k", "between needs the smaller value first"),
  ])
  func typeErrors(statement: String, message: String) {
    let database = Fixture.database()
    do {
      try Fixture.run(statement, on: database)
      Issue.record("no error for \(statement)")
    } catch {
      #expect(error.diagnostic.message == message)
      #expect(error.diagnostic.span != nil)
    }
  }

  @Test func unknownOwnerWarnsAndStillRuns() throws {
    let database = Fixture.database()
    let outcome = try Fixture.run("count where owner = alcie", on: database)
    #expect(outcome.warnings.map(\.message) == ["no deal has owner 'alcie' (did you mean 'alice'?)"])
    guard case .table(let table) = outcome.result else { return }
    #expect(table.rows == [[.integer(0)]])
    let tag = try Fixture.run("count where tag = priorty", on: database)
    #expect(tag.warnings.map(\.message) == ["no deal has tags 'priorty' (did you mean 'priority'?)"])
    #expect(try Fixture.run("count where owner = ALICE", on: database).warnings.isEmpty)
    // Free text with many values (names) gets no warning.
    #expect(try Fixture.run("count where name = nothing", on: database).warnings.isEmpty)
  }
}
