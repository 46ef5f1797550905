extension Planner {
  /// The days a period covers, resolved against the session's date like `today`.
  public func period(_ expr: PeriodExpr) throws(DiagnosticError) -> Period {
    let text = source.slice(expr.span)
    switch expr.kind {
    case .calendar(let unit, let last):
      let step = Period.Unit(rawValue: unit) ?? .year
      let current = Period.calendar(step, holding: today, name: text)
      guard last else { return current }
      var previous = current.previous
      previous.name = text
      return previous
    case .span(let duration):
      // `last 90d` is what `<= 90d` matches: from 90 days ago through today.
      guard let first = duration.subtracted(from: today) else {
        throw error("\(text) reaches back before the dates pipeq keeps (\(Day.range))", expr.span)
      }
      return Period(first: first, last: today, name: text, step: nil)
    case .year(let year):
      return Period.calendar(.year, holding: Day(year: year, month: 1, day: 1)!, name: text)
    case .quarter(let year, let quarter):
      return Period.calendar(.quarter, holding: Day(year: year, month: quarter * 3 - 2, day: 1)!, name: text)
    case .month(let year, let month):
      return Period.calendar(.month, holding: Day(year: year, month: month, day: 1)!, name: text)
    case .between(let low, let high):
      var days: [Day] = []
      for value in [low, high] {
        switch try dateOperand(value, for: .created) {
        case .day(let day, _), .age(let day, _): days.append(day)
        }
      }
      guard days[0] <= days[1] else { throw error("between needs the earlier date first", expr.span) }
      return Period(first: days[0], last: days[1], name: text, step: nil)
    }
  }

  /// `closed in last quarter`: the deals whose date falls in the period.
  func periodPlan(_ target: Field, _ expr: PeriodExpr, _ test: Test) throws(DiagnosticError) -> FilterPlan {
    let base = target.durationBase ?? target
    guard target.kind == .date || target.kind == .days else {
      throw error("a period needs a date; \(target.rawValue) is \(Planner.kindName(target))", test.field.span)
    }
    let period = try period(expr)
    return .range(
      base, Int64(period.first.number)...Int64(period.last.number),
      label: "\(base.rawValue) in \(period)")
  }
}
