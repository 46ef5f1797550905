/// JSON output: an array of objects with typed values; empty is null, tags an array,
/// dates ISO strings, money a number.
public enum JSONWriter {
  public static func render(_ table: ResultTable) -> String {
    if table.rows.isEmpty { return "[]\n" }
    let objects = table.rows.map { row in
      "  {" + zip(table.columns, row).map { "\(quote($0)): \(json($1))" }.joined(separator: ", ") + "}"
    }
    return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
  }

  public static func object(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }

  public static func json(_ value: Value) -> String {
    switch value {
    case .empty: return "null"
    case .integer(let n): return String(n)
    case .money(let cents): return Money.plain(cents)
    case .days(let days): return String(days)
    case .number(let number): return ValueFormatter.plain(.number(number))
    case .text(let text): return text.isEmpty ? "null" : quote(text)
    case .date(let day): return quote(day.description)
    case .tags(let tags): return "[" + tags.map(quote).joined(separator: ", ") + "]"
    }
  }

  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let s where s.value < 0x20:
        let hex = String(s.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
