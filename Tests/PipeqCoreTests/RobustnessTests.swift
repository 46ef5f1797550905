import PipeqCore
import Testing

/// Whatever a person types, the front end answers with a statement or a diagnostic,
/// never a crash, and a statement that fails changes nothing.
@Suite struct RobustnessTests {
  static let pieces = [
    "list", "count", "sum", "close", "won", "lost", "move", "to", "set", "tag", "untag", "delete",
    "explain", "where", "and", "or", "not", "in", "between", "is", "empty", "order", "by", "desc",
    "limit", "reason", "stage", "value", "owner", "created", "idle", "tags", "=", "!=", "<", ">=",
    "~", "!~", "(", ")", ",", ";", "+", "-", "*", "/", "90d", "6mo", "10k", "1.5m", "2026-02-30",
    "2026-01-01", "today", "'x'", "\"unterminated", "Müller", "東京", ".import", ".export", "#",
    "\\", "99999999999999999999", "0", "-", "lead", "qualifed", "\u{0}", "@",
  ]

  @Test func randomTokenSoupNeverCrashes() {
    var random = SplitMix64(seed: 2026)
    let database = Fixture.database()
    let before = database.table
    var ran = 0
    for _ in 0..<20_000 {
      let count = 1 + random.below(9)
      let text = (0..<count).map { _ in Self.pieces[random.below(Self.pieces.count)] }.joined(separator: " ")
      let source = SourceText(name: "fuzz", text: text)
      for span in StatementSplitter.split(source) {
        guard let statement = try? Parser.parse(source, span: span) else { continue }
        if statement.isMutating { continue }
        if case .meta = statement { continue }
        let engine = Engine(database: database, options: .init(today: Fixture.today, dryRun: true))
        if (try? engine.execute(statement, source: source, span: span)) != nil { ran += 1 }
      }
    }
    #expect(ran > 50)
    #expect(database.table == before)
  }

  /// Every dry run says what the real run would change, and changes nothing.
  @Test func dryRunOfRandomActionsChangesNothing() throws {
    var random = SplitMix64(seed: 7)
    let database = Fixture.database()
    let before = database.table
    let actions = [
      "close lost where", "close won where", "move to qualified where pipeline = sales and",
      "set value = value * 2 where", "tag hot where",
      "untag priority where", "delete where",
    ]
    let filters = [
      "id > 3", "owner = alice", "stage = lead", "value > 5k or idle > 30d", "tag = priority", "not status = open",
    ]
    for _ in 0..<200 {
      let text = "\(actions[random.below(actions.count)]) (\(filters[random.below(filters.count)]))"
      let preview = try Fixture.report(text, in: database, dryRun: true)
      #expect(preview.dryRun)
      let real = try Fixture.report(text, in: Database(table: before))
      #expect((preview.changed, preview.unchanged) == (real.changed, real.unchanged), "\(text)")
      #expect(database.table == before, "\(text)")
    }
  }
}
