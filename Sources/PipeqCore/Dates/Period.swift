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
  var step: Step?

  enum Step: Sendable, Equatable { case week, month, quarter, year }

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

  /// The calendar week (Monday first), month, quarter or year holding `day`.
  static func calendar(_ step: Step, holding day: Day, name: String) -> Period {
    let (year, month, _) = day.civil
    let first: Day
    let next: Day
    switch step {
    case .week:
      // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before it.
      let weekday = ((Int(day.number) + 3) % 7 + 7) % 7
      first = day.adding(days: -weekday)
      next = first.adding(days: 7)
    case .month:
      first = Day(year: year, month: month, day: 1)!
      next = first.adding(months: 1)
    case .quarter:
      first = Day(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)!
      next = first.adding(months: 3)
    case .year:
      first = Day(year: year, month: 1, day: 1)!
      next = first.adding(months: 12)
    }
    return Period(first: first, last: next.adding(days: -1), name: name, step: step)
  }
}
