import Testing

@testable import PipeqCore

/// A dictionary's strings live end to end in one buffer; the snapshot reads them into it
/// in one copy and refuses bytes that are not each a UTF-8 string.
struct PackedStringsTests {
  @Test func stringsComeBackAsAppended() {
    var packed = PackedStrings()
    for text in ["", "Acme", "Müller GmbH", "", "株式会社"] { packed.append(text) }
    #expect(Array(packed) == ["", "Acme", "Müller GmbH", "", "株式会社"])
    #expect(packed.count == 5)
    #expect(packed.byteCount == 4 + 12 + 12)
    packed.withBytes(of: 2) { #expect(Array($0) == Array("Müller GmbH".utf8)) }
  }

  @Test func aSnapshotListReadsBackPacked() throws {
    var packed = PackedStrings()
    for text in ["", "Pilot — Initech", "é", "Zoë"] { packed.append(text) }
    var writer = ByteWriter()
    writer.strings(packed)
    #expect(ByteWriter.measure { $0.strings(packed) } == writer.bytes.count)
    var reader = ByteReader(writer.bytes)
    #expect(try reader.packedStrings("names") == packed)
    #expect(reader.atEnd)
    // The layout is the one a list of Strings has, so older snapshots read alike.
    var plain = ByteWriter()
    plain.strings(Array(packed))
    #expect(plain.bytes == writer.bytes)
  }

  /// "é" is two bytes; a length one byte short leaves the bytes valid UTF-8 as a whole
  /// but splits the character between two strings: damage, as bytes that are not UTF-8
  /// and a list cut short are.
  @Test func aCharacterSplitBetweenTwoStringsIsDamage() {
    var shifted = ByteWriter()
    shifted.u64(3)
    shifted.u32(0)
    shifted.u32(1)
    shifted.append([0xC3])
    shifted.u32(2)
    shifted.append([0xA9, 0x78])
    var reader = ByteReader(shifted.bytes)
    #expect(throws: ByteReader.Malformed.self) { try reader.packedStrings("names") }
    var invalid = ByteWriter()
    invalid.u64(2)
    invalid.u32(0)
    invalid.u32(2)
    invalid.append([0x61, 0xFF])
    var badReader = ByteReader(invalid.bytes)
    #expect(throws: ByteReader.Malformed.self) { try badReader.packedStrings("names") }
    var writer = ByteWriter()
    writer.strings(["", "é", "x"])
    var short = ByteReader(Array(writer.bytes.dropLast()))
    #expect(throws: ByteReader.Malformed.self) { try short.packedStrings("names") }
  }
}

/// A big stored dictionary is placed into its index on both cores, a half of the slots
/// each, with probes that reach the end of their half left for a last pass.
struct DictionaryPlacingTests {
  static let strings: PackedStrings = {
    var packed = PackedStrings()
    packed.append("")
    for index in 1..<70_000 { packed.append("Deal \(index)") }
    return packed
  }()

  static let size = 1 << 18

  /// The strings' real hashes, but the first `crowded` strings all at home in the last
  /// slot of the first half: one is placed there, the others cross into the second half
  /// and are left for the last pass.
  static func hashes(_ strings: PackedStrings, crowded: Int) -> [UInt32] {
    strings.indices.map { code in
      code > 0 && code <= crowded
        ? UInt32(size / 2 - 1) : strings.withBytes(of: code, StringDictionary.hash(bytes:))
    }
  }

  /// Whether `code` is found from its home slot before an empty one, as `find` looks.
  static func findable(_ code: Int, _ hashes: [UInt32], _ slots: [Int32]) -> Bool {
    var slot = Int(hashes[code]) & (slots.count - 1)
    while slots[slot] >= 0 {
      if slots[slot] == Int32(code) { return true }
      slot = (slot + 1) & (slots.count - 1)
    }
    return false
  }

  @Test func probesCrossingTheirHalfArePlacedAfter() throws {
    let hashes = Self.hashes(Self.strings, crowded: 300)
    let slots = try #require(StringDictionary.placed(Self.strings, hashes: hashes, size: Self.size))
    #expect(slots.filter { $0 >= 0 }.count == Self.strings.count)
    #expect(Set(slots.filter { $0 >= 0 }).count == Self.strings.count)
    #expect(Self.strings.indices.allSatisfy { Self.findable($0, hashes, slots) })
    #expect(slots[Self.size / 2] >= 0 && slots[Self.size / 2 + 250] >= 0)
  }

  @Test func aRepeatIsFoundOnEitherSideOfTheHalf() {
    var repeated = Self.strings
    repeated.append("Deal 12")
    let real = Self.hashes(repeated, crowded: 0)
    #expect(StringDictionary.placed(repeated, hashes: real, size: Self.size) == nil)
    // "Deal 12" and its repeat both crowded: the repeat is met in the last pass.
    var crossing = Self.hashes(repeated, crowded: 300)
    crossing[repeated.count - 1] = UInt32(Self.size / 2 - 1)
    #expect(StringDictionary.placed(repeated, hashes: crossing, size: Self.size) == nil)
    #expect(StringDictionary.placed(Self.strings, hashes: Array(real.dropLast()), size: Self.size) != nil)
  }
}
