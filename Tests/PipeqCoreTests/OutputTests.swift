import PipeqCore
import Testing

@Suite struct OutputTests {
  let table = ResultTable(
    columns: ["id", "name", "value", "tags", "created"],
    rows: [
      [
        .integer(1204), .text("Acme, \"big\" deal"), .money(1_250_050), .tags(["a", "b"]),
        .date(Day(iso: "2026-01-02")!),
      ],
      [.integer(7), .empty, .empty, .empty, .empty],
    ], rowNoun: "deal")

  @Test func tableAlignsAndSeparatesThousands() {
    #expect(
      TableRenderer().render(table) == """
          id  name                  value  tags  created
        ----  ----------------  ---------  ----  ----------
        1204  Acme, "big" deal  12,500.50  a, b  2026-01-02
           7
        (2 deals)

        """)
  }

  /// Report figures: one decimal at most, the sign kept for values between -1 and 0.
  @Test func tenthsKeepTheirSign() {
    #expect(Format.tenths(12) == "12")
    #expect(Format.tenths(193.46) == "193.5")
    #expect(Format.tenths(-1.5) == "-1.5")
    #expect(Format.tenths(-0.5) == "-0.5")
    #expect(Format.tenths(1_234_567.25, grouped: true) == "1,234,567.3")
    #expect(Format.tenths(-1_234.5, grouped: true) == "-1,234.5")
  }

  @Test func longCellsAreCut() {
    let wide = ResultTable(columns: ["name"], rows: [[.text(String(repeating: "x", count: 60))]])
    #expect(TableRenderer(maxCellWidth: 10).render(wide).contains("xxxxxxxxx…"))
  }

  @Test func csvIsRFC4180() {
    #expect(
      CSVWriter.render(table)
        == "id,name,value,tags,created\r\n1204,\"Acme, \"\"big\"\" deal\",12500.50,a;b,2026-01-02\r\n7,,,,\r\n")
  }

  @Test func jsonIsTyped() {
    #expect(
      JSONWriter.render(table) == """
        [
          {"id": 1204, "name": "Acme, \\"big\\" deal", "value": 12500.50, "tags": ["a", "b"], "created": "2026-01-02"},
          {"id": 7, "name": null, "value": null, "tags": null, "created": null}
        ]

        """)
    #expect(JSONWriter.render(ResultTable(columns: ["count"], rows: [])) == "[]\n")
    #expect(JSONWriter.quote("a\nb\u{1}") == "\"a\\nb\\u0001\"")
  }

  @Test func numbersFormat() {
    #expect(Format.count(1_234_567) == "1,234,567")
    #expect(Format.count(-1000) == "-1,000")
    #expect(Format.money(-123_456_789) == "-1,234,567.89")
    #expect(Format.money(100) == "1")
    #expect(Money.plain(5) == "0.05")
    #expect(ValueFormatter.display(.days(1500)) == "1,500d")
  }
}

@Suite struct StatementSplitterTests {
  static func split(_ text: String) -> [String] {
    let source = SourceText(name: "t", text: text)
    return StatementSplitter.split(source).map { source.slice($0) }
  }

  @Test(arguments: [
    ("count; list", ["count", "list"]),
    ("count\nlist\n", ["count", "list"]),
    ("list where a = 1 and\n  b = 2\ncount", ["list where a = 1 and\n  b = 2", "count"]),
    ("list where a = 1 or\nb = 2", ["list where a = 1 or\nb = 2"]),
    ("list name,\n value", ["list name,\n value"]),
    ("list where (a = 1\n or b = 2)\ncount", ["list where (a = 1\n or b = 2)", "count"]),
    ("list where name = 'two\nlines'", ["list where name = 'two\nlines'"]),
    ("list \\\n where a = 1", ["list \\\n where a = 1"]),
    ("# only a comment\n\ncount # trailing\n", ["count # trailing"]),
    ("list where name = 'a;b'; count", ["list where name = 'a;b'", "count"]),
    (".mode csv\ncount", [".mode csv", "count"]),
    (
      "list id\n  where a = 1\n  order by id limit 2\ncount",
      ["list id\n  where a = 1\n  order by id limit 2", "count"]
    ),
    ("count\nwhere_x\nlimits", ["count", "where_x", "limits"]),
    (".import it's.csv\ncount", [".import it's.csv", "count"]),
    ("list where a = 1 # and\ncount", ["list where a = 1 # and", "count"]),
  ])
  func splits(text: String, expected: [String]) {
    #expect(Self.split(text) == expected)
  }

  @Test func needsMoreForTheREPL() {
    #expect(StatementSplitter.needsMore("list where a = 1 and"))
    #expect(StatementSplitter.needsMore("list where (a = 1"))
    #expect(StatementSplitter.needsMore("list where name = 'open"))
    #expect(StatementSplitter.needsMore("list name,"))
    #expect(StatementSplitter.needsMore("list where"))
    #expect(StatementSplitter.needsMore("set owner ="))
    #expect(StatementSplitter.needsMore("list order by"))
    #expect(!StatementSplitter.needsMore("list where a = 1"))
    #expect(!StatementSplitter.needsMore("undo #12"))
    #expect(!StatementSplitter.needsMore(".import a and"))
    #expect(!StatementSplitter.needsMore("list where brand = 1"))
  }
}

/// `.mode line`: each row a record, one field per line, wrapped rather than cut.
@Suite struct LineLayoutTests {
  @Test func rowsAreRecordsWithTheCountBelow() throws {
    let table = try Fixture.table("list id, name, value where id in (1, 8) order by id")
    #expect(
      LineLayout.render(table, width: 80)
        == "  id     1\n  name   Alpha renewal\n  value  1,000\n\n  id     8\n  name   Theta, the big one\n  value  250,000\n\n(2 deals)\n"
    )
  }

  @Test func longValuesWrapWithinTheWidth() {
    let text = String(repeating: "renewal ", count: 20).trimmingCharacters(in: .whitespaces)
    for width in [40, 60, 80, 120] {
      let out = LineLayout.record([("name", text), ("owner", "")], width: width)
      let lines = out.split(separator: "\n").map(String.init)
      #expect(lines.allSatisfy { $0.displayWidth <= width }, "width \(width)")
      #expect(lines.last == "  owner")
      #expect(lines.dropLast().map { $0.dropFirst(9) }.joined(separator: " ") == text, "width \(width)")
    }
  }
}
