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
