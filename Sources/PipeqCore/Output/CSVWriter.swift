/// RFC 4180 output: a header row of field names, a cell quoted when any of its bytes is
/// a comma, a quote, CR or LF (checked byte-wise: a comma followed by a combining mark is
/// one Character but still a comma); CRLF between records.
public enum CSVWriter {
  /// With `neutralise`, a text cell that a spreadsheet would run as a formula (it starts
  /// with `=`, `+`, `-`, `@`, a tab or CR) gets a leading `'`, which spreadsheets show as
  /// text and pipeq's import drops again.
  public static func render(_ table: ResultTable, neutralise: Bool = false) -> String {
    var out = table.columns.map(escape).joined(separator: ",") + "\r\n"
    for row in table.rows {
      out +=
        row.map { value in
          let text = ValueFormatter.plain(value)
          switch value {
          case .text, .tags: return escape(neutralise ? neutralised(text) : text)
          default: return escape(text)
          }
        }.joined(separator: ",") + "\r\n"
    }
    return out
  }

  public static func escape(_ field: String) -> String {
    guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
      return field
    }
    // Quotes doubled byte by byte too: a quote followed by a combining mark is doubled.
    var bytes: [UInt8] = [0x22]
    for byte in field.utf8 {
      bytes.append(byte)
      if byte == 0x22 { bytes.append(0x22) }
    }
    bytes.append(0x22)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The bytes a spreadsheet takes as the start of a formula.
  static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

  static func neutralised(_ text: String) -> String {
    guard let first = text.utf8.first, formulaStarts.contains(first) else { return text }
    return "'" + text
  }
}
