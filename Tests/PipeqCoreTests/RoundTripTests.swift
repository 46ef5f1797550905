import Foundation
import PipeqCore
import Testing

/// Deals with hostile text exported and imported again come back identical.
@Suite struct RoundTripTests {
  /// Text a CSV writer gets wrong: separators, quotes, line ends, combining marks after
  /// them, formula starts, control characters, non-Latin scripts.
  static let hostile = [
    "a,b", "say \"hi\"", "line\r\nbreak", "cr\ronly", ",\u{301}", "\"\u{301}", "=HYPERLINK(\"x\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)", "-minus", "\u{1B}[2Jclear", "tab\there", "東京", "Müller", "'quoted'", "semi;colon", "back\\slash",
    "%s%n", "\u{202E}rtl", "",
  ]

  @Test func randomHostileDealsSurviveExportAndImport() throws {
    var random = SplitMix64(seed: 2026)
    for trial in 0..<20 {
      let original = Fixture.database()
      let engine = Engine(database: original, options: .init(today: Fixture.today))
      for id in 1...8 {
        let name = Self.text(&random)
        let account = Self.text(&random)
        let tag = Self.text(&random).replacingOccurrences(of: " ", with: "")
        var statement = "set name = \(Self.quoted(name)), account = \(Self.quoted(account)) where id = \(id)"
        if name.isEmpty { statement = "set account = \(Self.quoted(account)) where id = \(id)" }
        let source = SourceText(name: "t", text: statement)
        _ = try engine.execute(try Parser.parse(source), source: source, span: Span(0, source.bytes.count))
        if !tag.isEmpty && !tag.contains(where: { $0.isWhitespace || $0.unicodeScalars.first!.value < 0x20 }) {
          try Fixture.run("tag \(Self.quoted(tag)) where id = \(id)", on: original)
        }
      }
      let path = SnapshotTests.temporaryPath() + ".csv"
      try Fixture.run(".export \(path)", on: original)
      let copy = Database()
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
      let (mutation, _) = try CSVImporter(table: copy.table, today: Fixture.today).makeMutation(
        bytes: bytes, fileName: path, statement: ".import")
      try copy.commit(mutation)
      for field in Field.stored {
        for id in 1...8 {
          let before = original.table.value(field, at: original.table.row(of: Int64(id))!, today: Fixture.today)
          let after = copy.table.value(field, at: copy.table.row(of: Int64(id))!, today: Fixture.today)
          #expect(before == after, "trial \(trial), deal \(id), \(field.rawValue)")
        }
      }
    }
  }

  static func text(_ random: inout SplitMix64) -> String {
    let parts = (0..<(1 + random.below(3))).map { _ in hostile[random.below(hostile.count)] }
    // Import trims the spaces around a cell, as spreadsheets' users expect.
    return parts.joined(separator: "x").trimmingCharacters(in: .whitespaces)
  }

  static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
