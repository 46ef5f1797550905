/// A span of whole days, `first` through `last`, with the period just before it of the
/// same kind: reports compare one with the other ("revenue won last quarter, and the
/// quarter before").
public struct Period: Sendable, Equatable, CustomStringConvertible {
  public var first: Day
  public var last: Day
  /// How the user said it, for headings: "last quarter", "2026-10".
  public var name: String
  /// The calendar unit a `this`/`last`/named period steps by; nil for a span of days,
  /// whose previous period is the same number of days just before it.
  var step: Unit?

  /// The calendar periods: `this month`, `by month(created)`. Weeks start on Monday.
  public enum Unit: String, Sendable, Equatable, CaseIterable { case week, month, quarter, year }

  public var description: String { "\(name) (\(first) to \(last))" }
  public var days: Int { Int(last.number - first.number) + 1 }

  public func contains(_ day: Day) -> Bool { first <= day && day <= last }

  /// The period of the same kind just before this one: the previous calendar month,
  /// quarter or year, or as many days just before.
  public var previous: Period {
    let first: Day
    switch step {
    case .week: first = self.first.adding(days: -7)
    case .month: first = self.first.adding(months: -1)
    case .quarter: first = self.first.adding(months: -3)
    case .year: first = self.first.adding(months: -12)
    case nil: first = self.first.adding(days: -days)
    }
    return Period(first: first, last: self.first.adding(days: -1), name: "the period before", step: step)
  }

  /// How a report names the period holding `day`: `2026-11-23` (a week, by its Monday),
  /// `2026-11`, `2026-q4`, `2026`. Names sort in time order.
  public static func label(_ unit: Unit, holding day: Day) -> String {
    let first = calendar(unit, holding: day, name: "").first
    let text = first.description
    switch unit {
    case .week: return text
    case .month: return String(text.prefix(7))
    case .quarter: return "\(text.prefix(4))-q\((first.civil.month - 1) / 3 + 1)"
    case .year: return String(text.prefix(4))
    }
  }

  /// The calendar week (Monday first), month, quarter or year holding `day`.
  static func calendar(_ step: Unit, holding day: Day, name: String) -> Period {
    let (year, month, _) = day.civil
    let first: Day
    let last: Day
    // The last day is computed, not taken as the next period's first minus one: in
    // 9999 there is no next period.
    switch step {
    case .week:
      // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before it.
      let weekday = ((Int(day.number) + 3) % 7 + 7) % 7
      first = day.adding(days: -weekday)
      last = first.adding(days: 6)
    case .month:
      first = Day(year: year, month: month, day: 1)!
      last = Day(year: year, month: month, day: Day.daysIn(year: year, month: month))!
    case .quarter:
      let firstMonth = (month - 1) / 3 * 3 + 1
      first = Day(year: year, month: firstMonth, day: 1)!
      last = Day(year: year, month: firstMonth + 2, day: Day.daysIn(year: year, month: firstMonth + 2))!
    case .year:
      first = Day(year: year, month: 1, day: 1)!
      last = Day(year: year, month: 12, day: 31)!
    }
    return Period(first: first, last: last, name: name, step: step)
  }
}
