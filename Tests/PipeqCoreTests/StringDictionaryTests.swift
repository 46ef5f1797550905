import Testing

@testable import PipeqCore

/// The dictionary's own index must agree with Swift's `==`: canonically equivalent
/// spellings are one value, whatever their bytes, and every string stays findable as the
/// table grows and when dictionaries merge.
@Suite struct StringDictionaryTests {
  /// Pairs that are `==` in Swift with different bytes: precomposed and decomposed
  /// accents, a singleton (the Kelvin sign is a K), reordered combining marks.
  static let equivalent: [(String, String)] = [
    ("é", "e\u{301}"),
    ("Ångström Consulting — Renewal", "A\u{30A}ngstro\u{308}m Consulting — Renewal"),
    ("\u{212A}elvin Labs", "Kelvin Labs"),
    ("q\u{323}\u{307}", "q\u{307}\u{323}"),
    ("Đặng Thị Ngọc — pilot", "Đặng Thị Ngọc — pilot".decomposedStringWithCanonicalMapping),
  ]

  @Test func canonicallyEquivalentSpellingsAreOneValue() {
    for (first, second) in Self.equivalent {
      #expect(first == second)
      #expect(Array(first.utf8) != Array(second.utf8))
      var dictionary = StringDictionary()
      let code = dictionary.intern(first)
      #expect(dictionary.intern(second) == code, "\(first)")
      #expect(dictionary.code(of: second) == code)
      #expect(dictionary.count == 2)
    }
  }

  @Test func agreesWithSwiftsDictionaryAsItGrows() {
    var generator = SystemRandomNumberGenerator()
    var dictionary = StringDictionary()
    var reference: [String: UInt32] = ["": 0]
    let pieces = ["a", "é", "e\u{301}", "Ω", "—", " ", "ß", "中", "K", "\u{212A}", "o\u{308}", "ö"]
    for _ in 0..<20_000 {
      let string = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
        .joined()
      let code = dictionary.intern(string)
      if let known = reference[string] {
        #expect(code == known, "\(Array(string.unicodeScalars))")
      } else {
        #expect(code == UInt32(reference.count))
        reference[string] = code
      }
    }
    #expect(dictionary.count == reference.count)
    for (string, code) in reference {
      #expect(dictionary.code(of: string) == code)
      #expect(dictionary[code] == string)
    }
    #expect(dictionary.code(of: "not there") == nil)
  }

  /// Reserving room rebuilds the index around the strings already there.
  @Test func reservingKeepsEveryCode() {
    var dictionary = StringDictionary()
    let names = (0..<100).map { "name \($0) — é" }
    for name in names { _ = dictionary.intern(name) }
    dictionary.reserveCapacity(5_000)
    for (index, name) in names.enumerated() { #expect(dictionary.code(of: name) == UInt32(index + 1)) }
    #expect(dictionary.intern("another") == 101)
    #expect(dictionary.code(of: "") == 0)
  }

  @Test func mergingMapsEveryCodeOnce() {
    var left = StringDictionary()
    for name in ["ann", "é", "bob"] { _ = left.intern(name) }
    var right = StringDictionary()
    for name in ["bob", "e\u{301}", "cy", "\u{212A}"] { _ = right.intern(name) }
    let map = left.merge(right)
    // right's codes: "" 0, bob 1, é 2, cy 3, K 4.
    #expect(map == [0, 3, 2, 4, 5])
    #expect(Array(left.strings) == ["", "ann", "é", "bob", "cy", "\u{212A}"])
    #expect(left.code(of: "K") == 5)
  }

  /// A snapshot's dictionary is taken as stored, each string hashed once; a value stored
  /// twice (however spelled) means the file is damaged.
  @Test func aStoredDictionaryIsTakenWhenItsValuesAreDistinct() {
    #expect(StringDictionary(distinct: ["", "a", "b", "a"]) == nil)
    #expect(StringDictionary(distinct: ["", "é", "e\u{301}"]) == nil)
    #expect(StringDictionary(distinct: ["x", ""]) == nil)
    #expect(StringDictionary(distinct: []) == nil)
    // Big enough to be hashed in two halves.
    let strings = [""] + (1..<70_000).map { "Déal \($0) — renewal" }
    guard let dictionary = StringDictionary(distinct: strings) else {
      Issue.record("distinct strings refused")
      return
    }
    #expect(Array(dictionary.strings) == strings)
    for code in [1, 34_999, 35_000, 69_999] {
      #expect(dictionary.code(of: strings[code]) == UInt32(code))
      #expect(dictionary.code(of: strings[code].decomposedStringWithCanonicalMapping) == UInt32(code))
    }
    var grown = dictionary
    #expect(grown.intern("Déal 5 — renewal") == 5)
    #expect(grown.intern("new") == 70_000)
  }

  /// Every scalar the byte check accepts must pass the standard library's NFC check on
  /// its own and combine with nothing (combining class 0), so any run of them is NFC.
  @Test func theByteCheckAcceptsOnlyScalarsNFCLeavesAlone() {
    var accepted = 0
    for value in UInt32(0)...0xFFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let string = String(Character(scalar))
      let surely = Array(string.utf8).withUnsafeBufferPointer { StringDictionary.isSurelyNFC($0) }
      guard surely else { continue }
      accepted += 1
      guard StringDictionary.isQuicklyNFC(string), scalar.properties.canonicalCombiningClass == .notReordered else {
        Issue.record("U+\(String(value, radix: 16)) is accepted")
        continue
      }
    }
    #expect(accepted == 0x300 + (0x2080 - 0x2002) + (0x20D0 - 0x20A0))
    // Runs of them, and what falls outside.
    for (text, surely) in [
      ("Józef Kowalski — “Renewal” €1,200 ⁴", true), ("e\u{301}", false), ("中文", false), ("\u{2000}", false),
    ] {
      #expect(Array(text.utf8).withUnsafeBufferPointer { StringDictionary.isSurelyNFC($0) } == surely, "\(text)")
    }
  }
}
