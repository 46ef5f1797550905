import PipeqCore
import Testing

@Suite struct ParserTests {
  static func parse(_ text: String) throws -> String {
    ASTDump.dump(try Parser.parse(SourceText(name: "t", text: text)))
  }

  @Test(arguments: [
    (
      "close lost where stage != won and last_interaction > 90d",
      "(close lost (and (!= stage won) (> last_interaction 90d)))"
    ),
    ("CLOSE LOST WHERE Stage != Won", "(close lost (!= Stage Won))"),
    ("close won reason 'signed' where id = 4", "(close won (reason \"signed\") (= id 4))"),
    ("close lost reason \"no budget\" where idle > 30d", "(close lost (reason \"no budget\") (> idle 30d))"),
    ("list", "(list [])"),
    ("list name, value", "(list [name value])"),
    ("list where owner = bob", "(list [] (= owner bob))"),
    (
      "list name where value > 10k order by value desc, name limit 5",
      "(list [name] (> value 10000) (order value desc, name asc) (limit 5))"
    ),
    ("list order by created asc", "(list [] (order created asc))"),
    ("count", "(count)"),
    ("count by stage", "(count (by stage))"),
    ("count where status = open by owner", "(count (= status open) (by owner))"),
    ("count by owner where status = open", "(count (= status open) (by owner))"),
    ("sum value by owner", "(sum value (by owner))"),
    ("avg value where stage = won", "(avg value (= stage won))"),
    ("min created", "(min created)"),
    ("max value by pipeline", "(max value (by pipeline))"),
    ("move to proposal where stage = qualified", "(move proposal (= stage qualified))"),
    ("move proposal where stage = qualified", "(move proposal (= stage qualified))"),
    ("move to where stage = lead", "(move to (= stage lead))"),
    ("set owner = carol where owner = bob", "(set (owner carol) (= owner bob))"),
    (
      "set value = value * 1.1, owner = 'Ann' where id = 1",
      "(set (value (* value 1.1)) (owner \"Ann\") (= id 1))"
    ),
    ("set value = (value + 100) * 2 where id = 1", "(set (value (* (+ value 100) 2)) (= id 1))"),
    ("set value = value - -5 where id = 1", "(set (value (- value (- 5))) (= id 1))"),
    (
      "set expected_close = expected_close + 14d where id = 1",
      "(set (expected_close (+ expected_close 14d)) (= id 1))"
    ),
    ("tag priority, emea where value > 100k", "(tag priority emea (> value 100000))"),
    ("untag priority where status != open", "(untag priority (!= status open))"),
    ("delete where stage = lost", "(delete (= stage lost))"),
    ("explain close lost where stage = lead", "(explain (close lost (= stage lead)))"),
    // Precedence: not > and > or.
    ("list where a = 1 or b = 2 and c = 3", "(list [] (or (= a 1) (and (= b 2) (= c 3))))"),
    ("list where (a = 1 or b = 2) and c = 3", "(list [] (and (or (= a 1) (= b 2)) (= c 3)))"),
    ("list where not a = 1 and b = 2", "(list [] (and (not (= a 1)) (= b 2)))"),
    ("list where not (a = 1 and b = 2)", "(list [] (not (and (= a 1) (= b 2))))"),
    ("list where a = 1 or b = 2 or c = 3", "(list [] (or (or (= a 1) (= b 2)) (= c 3)))"),
    (
      "list where value between 10k and 20k and owner = bob",
      "(list [] (and (between value 10000 20000) (= owner bob)))"
    ),
    ("list where value not between 1 and 2", "(list [] (not-between value 1 2))"),
    ("list where stage in (lead, 'contacted')", "(list [] (in stage lead \"contacted\"))"),
    ("count by owner, month(created) where status = won", "(count (= status won) (by owner, month(created)))"),
    ("stale where owner = bob limit 10", "(stale (= owner bob))"),
    ("count by stage as of 2026-03-01", "(as-of 2026-03-01 (count (by stage)))"),
    ("board", "(board)"),
    ("board partners where owner = bob", "(board (pipeline partners) (= owner bob))"),
    ("board as of 2026-03-01", "(board (as-of 2026-03-01))"),
    ("funnel sales last quarter strict", "(funnel (pipeline sales) (last quarter) strict)"),
    ("funnel this year --strict", "(funnel (this year) strict)"),
    ("health last quarter where pipeline = sales", "(health (last quarter) (= pipeline sales))"),
    ("team", "(team)"),
    ("stale where owner = bob", "(stale (= owner bob))"),
    ("trend value by month", "(trend value (by month(created)))"),
    ("trend count by week(closed) last 90d", "(trend count (by week(closed)) (last 90d))"),
    ("count by month(created) where status = won", "(count (= status won) (by month(created)))"),
    ("median value where stage = won by quarter(closed)", "(median value (= stage won) (by quarter(closed)))"),
    ("count by month", "(count (by month))"),
    ("count where closed in last quarter", "(count (in closed (last quarter)))"),
    ("count where created not in this month", "(count (not-in created (this month)))"),
    ("count where created in last 90d", "(count (in created (last 90d)))"),
    (
      "count where created in 2026-Q3 or created in 2026-10 or created in 2025",
      "(count (or (or (in created (quarter 2026 3)) (in created (month 2026 10))) (in created (year 2025))))"
    ),
    ("count where created in between $start and today", "(count (in created (between $start today)))"),
    ("list where source not in (event)", "(list [] (not-in source event))"),
    ("list where name ~ acme", "(list [] (~ name acme))"),
    ("list where name !~ 'acme'", "(list [] (!~ name \"acme\"))"),
    ("list where source is empty", "(list [] (is-empty source))"),
    ("list where source is not empty", "(list [] (is-not-empty source))"),
    ("list where expected_close < today + 14d", "(list [] (< expected_close (+ today 14d)))"),
    ("list where created >= 2026-01-01 - 1mo", "(list [] (>= created (- 2026-01-01 1mo)))"),
    ("list where closed = yesterday", "(list [] (= closed yesterday))"),
    ("list where value > -5", "(list [] (> value -5))"),
    ("define stale as status = open and idle > 90d", "(define stale \"status = open and idle > 90d\")"),
    ("list where stale and owner = bob", "(list [] (and (saved stale) (= owner bob)))"),
    ("list where not (stale or hot) order by id", "(list [] (not (or (saved stale) (saved hot))) (order id asc))"),
    ("count where owner = $who", "(count (= owner $who))"),
    ("review bob 50k", "(call review bob 50000)"),
    ("undefine stale", "(undefine stale)"),
    ("defs", "(defs)"),
  ])
  func statements(text: String, expected: String) throws {
    #expect(try Self.parse(text) == expected)
  }

  @Test(arguments: [
    (
      ".import deals.csv",
      "(meta importFile(path: \"deals.csv\", span: 8..<17, options: PipeqCore.ImportOptions(dateOrder: nil, mappings: [:])))"
    ),
    (
      ".import 'my deals.csv' dates dmy",
      "(meta importFile(path: \"my deals.csv\", span: 8..<22, options: PipeqCore.ImportOptions(dateOrder: Optional(PipeqCore.DateColumn.Order.dmy), mappings: [:])))"
    ),
    (".mode JSON", "(meta mode(\"json\", span: 6..<10))"),
    (".timer on", "(meta timer(true))"),
    (".quit", "(meta quit)"),
    (".help filters", "(meta help(topic: Optional(\"filters\")))"),
  ])
  func metaCommands(text: String, expected: String) throws {
    #expect(try Self.parse(text) == expected)
  }

  @Test func exportTakesAFilter() throws {
    let statement = try Parser.parse(SourceText(name: "t", text: ".export out.csv where stage = won"))
    guard case .meta(.exportFile(let path, _, let filter?, false)) = statement else {
      Issue.record("not an export with a filter: \(statement)")
      return
    }
    #expect(path == "out.csv")
    #expect(ASTDump.dump(filter) == "(= stage won)")
  }

  @Test func filterSpansCoverTheTest() throws {
    let source = SourceText(name: "t", text: "list where owner = bob and value > 5")
    guard case .list(let list) = try Parser.parse(source), case .and(let a, let b)? = list.filter else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.slice(a.span) == "owner = bob")
    #expect(source.slice(b.span) == "value > 5")
  }
}
