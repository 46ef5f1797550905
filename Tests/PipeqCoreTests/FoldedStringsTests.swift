import Foundation
import Testing

@testable import PipeqCore

/// Text tests on folded bytes answer what Unicode case folding and a search answer.
@Suite struct FoldedStringsTests {
  static let texts = [
    "Acme Corp", "ACME corp holdings 2", "Müller GmbH", "MÜLLER gmbh", "Mu\u{0308}ller GmbH", "東京 Trading",
    "Ølstue ApS", "ØLSTUE aps", "Józef Kowalski Sp. z o.o.", "Straße", "café", "cafe\u{0301}", "Ünïcödé — “quoted”",
    "Acme — PİLOT #12", "ÀÉÎÕÜ ǅ", "ẞ groß",
  ]
  static let needles = [
    "acme", "CORP", "müller", "MU\u{0308}LLER", "東京", "øl", "józef", "straße", "café", "ÉD", "", "x",
  ]

  static func dictionary() -> StringDictionary {
    var dictionary = StringDictionary()
    for text in texts { _ = dictionary.intern(text) }
    return dictionary
  }

  @Test func containsAgreesWithFoldingAndSearch() {
    let dictionary = Self.dictionary()
    for needle in Self.needles where !needle.isEmpty {
      let found = dictionary.foldedContains(FoldedStrings.fold(needle))
      for (code, text) in dictionary.strings.enumerated() where code > 0 {
        #expect(found[code] == text.folded.contains(needle.folded), "\(text) ~ \(needle)")
      }
    }
  }

  @Test func equalsAgreesWithFoldedEquality() {
    let dictionary = Self.dictionary()
    for key in Self.texts + Self.needles {
      let found = dictionary.foldedEquals([FoldedStrings.fold(key)])
      for (code, text) in dictionary.strings.enumerated() where code > 0 {
        #expect(found[code] == (text.folded == key.folded), "\(text) = \(key)")
      }
    }
  }

  /// Two copies that grow apart each answer for their own strings.
  @Test func copiesThatGrowApartKeepTheirOwnFolds() {
    var first = Self.dictionary()
    _ = first.foldedContains(FoldedStrings.fold("acme"))
    var second = first
    _ = first.intern("Zeta Acme")
    _ = second.intern("Other")
    #expect(first.foldedContains(FoldedStrings.fold("zeta")).last == true)
    #expect(second.foldedContains(FoldedStrings.fold("zeta")).last == false)
    #expect(second.foldedContains(FoldedStrings.fold("other")).last == true)
  }

  @Test func aFilterOnAManyValuedColumnUsesThem() {
    let database = Fixture.database()
    #expect(Fixture.ids(where: "account ~ 'müll'", in: database) == [2])
    #expect(Fixture.ids(where: "account in ('acme', 'STRASSE ag')", in: database) == [1, 3, 4])
    #expect(Fixture.ids(where: "tag ~ 'PRIO'", in: database) == [1, 6])
    #expect(Fixture.ids(where: "account !~ 'acme'", in: database) == [2, 3, 5, 6, 7, 8])
  }

  /// Groups fold as filters do: a decomposed, upper-case spelling is the same account.
  @Test func groupsHoldWhatEqualsMatches() throws {
    let database = Fixture.database()
    try Fixture.run("set account = 'MU\u{0308}LLER GMBH' where id = 1", on: database)
    #expect(Fixture.ids(where: "account = 'müller gmbh'", in: database) == [1, 2])
    let rows = try Fixture.table("count by account", in: database).rows
    #expect(rows.filter { $0[0].text.lowercased().hasPrefix("m") }.map { $0[1] } == [.integer(2)])
  }
}
