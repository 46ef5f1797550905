import Foundation

/// RFC 4180 output: a header row of field names, fields quoted only when they hold a
/// comma, quote, or line break; CRLF between records.
public enum CSVWriter {
  public static func render(_ table: ResultTable) -> String {
    var out = table.columns.map(escape).joined(separator: ",") + "\r\n"
    for row in table.rows {
      out += row.map { escape(ValueFormatter.plain($0)) }.joined(separator: ",") + "\r\n"
    }
    return out
  }

  public static func escape(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
