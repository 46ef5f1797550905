import Foundation

/// Parses spreadsheet cells: amounts as people type them, dates with or without time.
public enum ValueParser {
  static let symbols: [Character: String] = ["$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"]
  static let codes: Set<String> = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "SEK", "NOK", "DKK", "PLN"]

  /// Cents and, when the cell names one, its currency: `$12,500.00`, `1.234,56 €`,
  /// `EUR 900`, `(1,200)`, `12.5k`, `1.2M`.
  public static func amount(_ cell: String) -> (cents: Int64, currency: String?)? {
    if let cents = plainAmount(cell) { return (cents, nil) }
    var text = cell.trimmingCharacters(in: .whitespaces)
    var currency: String?
    var negative = false
    if text.hasPrefix("("), text.hasSuffix(")") {
      negative = true
      text = String(text.dropFirst().dropLast())
    }
    for code in codes where text.uppercased().hasPrefix(code) || text.uppercased().hasSuffix(code) {
      currency = code
      text = text.uppercased().replacingOccurrences(of: code, with: "")
    }
    text = String(
      text.filter { character in
        if let code = symbols[character] {
          currency = code
          return false
        }
        return !character.isWhitespace && character != "'" && character != "\u{00A0}"
      })
    if text.hasPrefix("-") {
      negative.toggle()
      text.removeFirst()
    }
    // Thousands and millions as people shorten them.
    var scale: Decimal = 1
    if let last = text.last, "kKmM".contains(last), text.count > 1 {
      scale = last == "k" || last == "K" ? 1_000 : 1_000_000
      text.removeLast()
    }
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }) else {
      return nil
    }
    let commas = text.filter { $0 == "," }.count
    let dots = text.filter { $0 == "." }.count
    var normalized = text
    if commas > 0 && dots > 0 {
      // Whichever comes last is the decimal mark: 12,500.00 or 1.234,56.
      let decimalIsComma = text.lastIndex(of: ",")! > text.lastIndex(of: ".")!
      normalized =
        decimalIsComma
        ? text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        : text.replacingOccurrences(of: ",", with: "")
    } else if commas == 1, let comma = text.firstIndex(of: ","), text.distance(from: comma, to: text.endIndex) - 1 != 3
    {
      normalized = text.replacingOccurrences(of: ",", with: ".")  // 1,5 or 12,50
    } else if commas > 0 {
      normalized = text.replacingOccurrences(of: ",", with: "")
    } else if dots > 1 {
      normalized = text.replacingOccurrences(of: ".", with: "")  // 1.234.567
    }
    guard let number = Decimal(string: normalized, locale: Locale(identifier: "en_US_POSIX")),
      normalized.allSatisfy({ $0.isNumber || $0 == "." }),
      let cents = Money.cents((negative ? -number : number) * scale)
    else {
      return nil
    }
    return (cents, currency)
  }

  /// Digits with at most one point and two decimals (`12500`, `99.5`): the common case,
  /// parsed without building intermediate strings.
  static func plainAmount(_ cell: String) -> Int64? {
    var cell = cell
    return cell.withUTF8 { plainAmount($0) }
  }

  static func plainAmount(_ cell: UnsafeBufferPointer<UInt8>) -> Int64? {
    var whole: Int64 = 0
    var fraction: Int64 = 0
    var fractionDigits = 0
    var seenPoint = false
    var digits = 0
    for byte in cell {
      if byte >= 48 && byte <= 57 {
        digits += 1
        if digits > 15 { return nil }
        if seenPoint {
          fractionDigits += 1
          if fractionDigits > 2 { return nil }
          fraction = fraction * 10 + Int64(byte - 48)
        } else {
          whole = whole * 10 + Int64(byte - 48)
        }
      } else if byte == UInt8(ascii: "."), !seenPoint {
        seenPoint = true
      } else {
        return nil
      }
    }
    guard digits > 0 else { return nil }
    if fractionDigits == 1 { fraction *= 10 }
    return whole * Money.scale + fraction
  }

  /// `YYYY-MM-DD`, alone or followed by a time (`T` or a space): the common case, read
  /// from the bytes; anything else goes to `day(_:)`.
  static func isoDay(_ cell: UnsafeBufferPointer<UInt8>) -> Day? {
    guard cell.count == 10 || (cell.count > 10 && (cell[10] == UInt8(ascii: "T") || cell[10] == 32)) else {
      return nil
    }
    func digits(_ range: Range<Int>) -> Int? {
      var number = 0
      for index in range {
        guard cell[index] >= 48 && cell[index] <= 57 else { return nil }
        number = number * 10 + Int(cell[index] - 48)
      }
      return number
    }
    guard cell[4] == UInt8(ascii: "-"), cell[7] == UInt8(ascii: "-"), let year = digits(0..<4),
      let month = digits(5..<7), let day = digits(8..<10)
    else { return nil }
    return Day(year: year, month: month, day: day)
  }

  /// A whole number of ASCII digits (up to 18), as ids are written.
  static func wholeNumber(_ cell: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !cell.isEmpty, cell.count <= 18 else { return nil }
    var number: Int64 = 0
    for byte in cell {
      guard byte >= 48 && byte <= 57 else { return nil }
      number = number * 10 + Int64(byte - 48)
    }
    return number
  }

  /// A day from `2026-03-01`, `2026-03-01T10:00:00Z`, `2026-03-01 10:00` or `2026/03/01`.
  public static func day(_ cell: String) -> Day? {
    if cell.utf8.count == 10, let day = Day(iso: Substring(cell)) { return day }
    let text = cell.trimmingCharacters(in: .whitespaces)
    guard text.count >= 10 else { return nil }
    let datePart = text.prefix(10).replacingOccurrences(of: "/", with: "-")
    if text.count > 10 {
      let separator = text[text.index(text.startIndex, offsetBy: 10)]
      guard separator == "T" || separator == " " else { return nil }
    }
    return Day(iso: datePart)
  }
}
