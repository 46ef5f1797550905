/// A length of time as the user wrote it: `90d`, `2w`, `6mo`, `1q`, `1y`.
///
/// Months, quarters and years stay calendar units until applied to a day, so
/// `today - 6mo` lands on the same day number six months earlier.
public struct Duration: Sendable, Hashable, CustomStringConvertible {
  public enum Unit: String, Sendable, CaseIterable {
    case days = "d", weeks = "w", months = "mo", quarters = "q", years = "y"
  }

  public var amount: Int
  public var unit: Unit

  public init(_ amount: Int, _ unit: Unit) {
    self.amount = amount
    self.unit = unit
  }

  public var description: String { "\(amount)\(unit.rawValue)" }

  /// The day `self` before `day` (or after, for a positive sign); nil past the years
  /// pipeq keeps (0001 to 9999), where a silent clamp would change what a filter means.
  public func subtracted(from day: Day, sign: Int = -1) -> Day? {
    let n = amount * sign
    switch unit {
    case .days: return day.offset(days: n)
    case .weeks: return day.offset(days: n * 7)
    case .months: return day.offset(months: n)
    case .quarters: return day.offset(months: n * 3)
    case .years: return day.offset(months: n * 12)
    }
  }

  public func added(to day: Day) -> Day? { subtracted(from: day, sign: 1) }

  /// The largest amount a duration may have: 9999 years in days, and then some.
  public static let largest = 9_999_999
}
