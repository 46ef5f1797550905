/// How a CRM or a spreadsheet wrote its file: the encoding and the separator, sniffed
/// from the bytes (European Excel writes `;`, older systems Windows-1252, some exports
/// UTF-16 with a byte-order mark).
struct ExportDialect {
  var separator: UInt8
  /// Why the text had to be converted to UTF-8 first, for the import's notes.
  var encodingNote: String?
  /// In a file that is UTF-8 but for some bytes, the line of the first of them.
  var damagedLine: Int?

  /// The file as UTF-8 and the separator its first lines use.
  static func read(_ bytes: [UInt8]) -> (text: [UInt8], dialect: ExportDialect) {
    let bad = firstInvalidByte(bytes)
    let (text, note) = bad == nil ? (bytes, nil) : utf8(bytes)
    var dialect = ExportDialect(separator: sniffSeparator(text), encodingNote: note)
    if note == nil, let bad {
      dialect.damagedLine = 1 + text[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    return (text, dialect)
  }

  /// Where the first byte that is not part of a UTF-8 character is; nil in UTF-8 text.
  static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
    do {
      _ = try UTF8Span(validating: bytes.span)
      return nil
    } catch {
      return error.byteOffsets.lowerBound
    }
  }

  /// Bytes that are not all UTF-8, as UTF-8: UTF-16 with a byte-order mark converted;
  /// otherwise read as Windows-1252, with a note —
  /// unless it is mostly UTF-8 (more well-formed multi-byte characters than stray
  /// bytes): then it is UTF-8 with a damaged line, and reading it as Windows-1252 would
  /// garble every accent of the good lines; the import stops at that line instead.
  private static func utf8(_ bytes: [UInt8]) -> ([UInt8], String?) {
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      let little = bytes[0] == 0xFF
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var index = 2
      while index + 1 < bytes.count {
        let (low, high) = little ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
        units.append(UInt16(high) << 8 | UInt16(low))
        index += 2
      }
      return (Array(String(decoding: units, as: UTF16.self).utf8), "read as UTF-16 (it starts with a byte-order mark)")
    }
    if isMostlyUTF8(bytes) { return (bytes, nil) }
    var text = String.UnicodeScalarView()
    for byte in bytes { text.append(windows1252(byte)) }
    return (
      Array(String(text).utf8), "read as Windows-1252: the file is not UTF-8 (Excel's \"CSV\" in a Western locale)"
    )
  }

  /// Whether well-formed UTF-8 sequences of two bytes or more outnumber the bytes that
  /// are not part of one. Windows-1252 text almost never forms them: an accented capital
  /// followed by a symbol at 0x80–0xBF.
  static func isMostlyUTF8(_ bytes: [UInt8]) -> Bool {
    var (characters, strays) = (0, 0)
    var index = 0
    while index < bytes.count {
      let lead = bytes[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
      if length > 0, index + length <= bytes.count,
        (try? UTF8Span(validating: bytes[index..<index + length].span)) != nil
      {
        characters += 1
        index += length
      } else {
        strays += 1
        index += 1
      }
    }
    return characters > strays
  }

  /// Windows-1252: Latin-1 with printable characters (€, quotes, dashes) at 0x80–0x9F.
  static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
    let high: [UInt32] = [
      0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
      0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
      0x0153, 0x9D, 0x017E, 0x0178,
    ]
    let value = (0x80..<0xA0).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
    return Unicode.Scalar(value)!
  }

  /// The separator among `,` `;` tab `|` that splits the first lines (outside quotes)
  /// most consistently: the same number of times on each, and more than once where
  /// possible. A comma when none stands out.
  static func sniffSeparator(_ bytes: [UInt8]) -> UInt8 {
    let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    var lines: [[Int]] = []
    var counts = [Int](repeating: 0, count: candidates.count)
    var quoted = false
    for byte in bytes.prefix(64 << 10) {
      if byte == 0x22 {
        quoted.toggle()
      } else if !quoted, byte == 0x0A {
        lines.append(counts)
        counts = [Int](repeating: 0, count: candidates.count)
        if lines.count == 20 { break }
      } else if !quoted, let index = candidates.firstIndex(of: byte) {
        counts[index] += 1
      }
    }
    if counts.contains(where: { $0 > 0 }) { lines.append(counts) }
    guard let header = lines.first else { return 0x2C }
    var best = 0
    var bestScore = -1
    for index in candidates.indices where header[index] > 0 {
      let steady = lines.allSatisfy { $0[index] == header[index] }
      let score = header[index] + (steady ? 1_000 : 0)
      if score > bestScore {
        best = index
        bestScore = score
      }
    }
    return candidates[best]
  }
}

/// A file's header cells, read from its first bytes in whatever encoding and separator
/// it uses: what `map "HEADER"` can name (Tab completion offers them).
public enum CSVHeaders {
  public static func of(_ firstBytes: [UInt8]) -> [String] {
    let (text, dialect) = ExportDialect.read(firstBytes)
    return CSVRecords.read(text, separator: dialect.separator, limit: 1).first?.cells.filter { !$0.isEmpty } ?? []
  }
}
