/// A calendar day, stored as the number of days since 1970-01-01.
///
/// Deals only carry days, never instants: `today` is a day, so `> 90d` means
/// "more than 90 whole days ago" whatever the hour.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var number: Int32

  public init(number: Int32) { self.number = number }

  /// A valid civil date, or nil (2026-02-30 is nil).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month),
      (1...9999).contains(year)
    else { return nil }
    self.number = Int32(Day.daysFromCivil(year, month, day))
  }

  /// Parses `YYYY-MM-DD`; nil when the text is not a valid date.
  public init?(iso text: Substring) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      let year = Day.digits(bytes[0..<4]), let month = Day.digits(bytes[5..<7]),
      let day = Day.digits(bytes[8..<10])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  public init?(iso text: String) { self.init(iso: Substring(text)) }

  public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(number)) }

  public var description: String {
    let (y, m, d) = civil
    return "\(Day.pad(y, 4))-\(Day.pad(m, 2))-\(Day.pad(d, 2))"
  }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

  /// The days pipeq keeps: years 1 to 9999, as ISO 8601 writes them in four digits.
  public static let earliest = Day(number: Int32(Day.daysFromCivil(1, 1, 1)))
  public static let latest = Day(number: Int32(Day.daysFromCivil(9999, 12, 31)))
  public static let range = "0001-01-01 to 9999-12-31"

  /// `days` later (earlier when negative); nil past the years pipeq keeps.
  public func offset(days: Int) -> Day? {
    let (result, overflow) = Int(number).addingReportingOverflow(days)
    guard !overflow, result >= Int(Day.earliest.number), result <= Int(Day.latest.number) else { return nil }
    return Day(number: Int32(result))
  }

  /// Calendar month arithmetic: the same day number `months` later, clamped to the
  /// month's last day (2026-03-31 − 1mo = 2026-02-28); nil past the years pipeq keeps.
  public func offset(months: Int) -> Day? {
    let (y, m, d) = civil
    guard abs(months) < 12 * 10_000 else { return nil }
    let total = y * 12 + (m - 1) + months
    guard total >= 12 else { return nil }
    let year = total / 12
    let month = total % 12 + 1
    return Day(year: year, month: month, day: min(d, Day.daysIn(year: year, month: month)))
  }

  /// For report arithmetic on days pipeq keeps: `offset`, held at the first or last day
  /// instead of leaving the range.
  public func adding(days: Int) -> Day { offset(days: days) ?? (days < 0 ? Day.earliest : Day.latest) }

  public func adding(months: Int) -> Day { offset(months: months) ?? (months < 0 ? Day.earliest : Day.latest) }

  public static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Howard Hinnant's days_from_civil / civil_from_days.
  static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
    var value = 0
    for byte in bytes {
      guard byte >= 48, byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}
