/// Number formatting shared by every renderer.
public enum Format {
  /// `1204` → `1,204`.
  public static func count(_ n: Int) -> String { grouped(String(n.magnitude), negative: n < 0) }

  static func grouped(_ digits: String, negative: Bool) -> String {
    var out = ""
    for (index, character) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return (negative ? "-" : "") + out
  }

  /// A number to one decimal, without a trailing `.0`, thousands grouped when asked:
  /// `12`, `-0.5`, `1,234.5`.
  public static func tenths(_ value: Double, grouped: Bool = false) -> String {
    let tenths = Int((value * 10).rounded())
    let whole = String(tenths.magnitude / 10)
    let fraction = tenths.magnitude % 10
    return (grouped ? Format.grouped(whole, negative: tenths < 0) : (tenths < 0 ? "-" : "") + whole)
      + (fraction == 0 ? "" : ".\(fraction)")
  }

  /// `950`, `9,512`, `12.5k`, `125k`, `1.2M`, `3.4B`: a quantity short enough for a
  /// board column or a rate.
  public static func compact(_ value: Double) -> String {
    let magnitude = abs(value)
    func trim(_ value: Double, _ suffix: String) -> String {
      (value >= 100 ? String(Int(value.rounded())) : tenths(value)) + suffix
    }
    let sign = value < 0 ? "-" : ""
    if magnitude < 10_000 { return count(Int(value.rounded())) }
    if magnitude < 1_000_000 { return sign + trim(magnitude / 1_000, "k") }
    if magnitude < 1_000_000_000 { return sign + trim(magnitude / 1_000_000, "M") }
    return sign + trim(magnitude / 1_000_000_000, "B")
  }

  /// Money with thousands separators; cents only when there are any.
  public static func money(_ cents: Int64) -> String {
    let plain = Money.plain(cents)
    let negative = plain.hasPrefix("-")
    let body = negative ? String(plain.dropFirst()) : plain
    let parts = body.split(separator: ".", maxSplits: 1)
    let whole = grouped(String(parts[0]), negative: negative)
    return parts.count > 1 ? "\(whole).\(parts[1])" : whole
  }
}

/// Text from deals, files and statements as a terminal should show it.
public enum VisibleText {
  /// Control characters, which could clear the screen, recolour it or retitle the
  /// window, are shown instead of sent: ESC as `^[`, other C0 controls in caret notation,
  /// DEL as `^?`, C1 controls as U+FFFD. Line feeds and tabs stay when `keepLines`.
  public static func of(_ text: String, keepLines: Bool = false) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
    var shown = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0A where keepLines, 0x09 where keepLines: shown.append(scalar)
      case 0..<0x20:
        shown.append("^")
        shown.append(Unicode.Scalar(scalar.value + 0x40)!)
      case 0x7F: shown.append(contentsOf: "^?".unicodeScalars)
      case 0x80..<0xA0: shown.append("\u{FFFD}")
      default: shown.append(scalar)
      }
    }
    return String(shown)
  }
}

/// Value → text for each output format.
public enum ValueFormatter {
  /// Machine form: ISO dates, plain numbers, tags joined with `;`. Used by CSV.
  public static func plain(_ value: Value) -> String {
    switch value {
    case .empty: return ""
    case .integer(let n): return String(n)
    case .money(let cents): return Money.plain(cents)
    case .text(let text): return text
    case .date(let day): return day.description
    case .days(let days): return String(days)
    case .tags(let tags): return TagList.join(tags)
    case .number(let number):
      return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
  }

  /// Human form for tables: thousands separators, tags joined with `, `.
  public static func display(_ value: Value) -> String {
    switch value {
    case .integer(let n): return Format.count(Int(n))
    case .money(let cents): return Format.money(cents)
    case .days(let days): return Format.count(days) + "d"
    case .tags(let tags): return tags.joined(separator: ", ")
    case .number(let number):
      let text = plain(.number(number))
      let parts = text.split(separator: ".", maxSplits: 1)
      guard let whole = Int(parts[0]) else { return text }
      return Format.count(whole) + (parts.count > 1 ? ".\(parts[1])" : "")
    default: return plain(value)
    }
  }

  public static func isNumeric(_ value: Value) -> Bool {
    switch value {
    case .integer, .money, .days, .number: return true
    default: return false
    }
  }
}
