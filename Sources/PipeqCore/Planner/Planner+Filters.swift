extension Planner {
  mutating func filterPlan(_ expr: FilterExpr) throws(DiagnosticError) -> FilterPlan {
    switch expr {
    case .and(let a, let b): return .and(try filterPlan(a), try filterPlan(b))
    case .or(let a, let b): return .or(try filterPlan(a), try filterPlan(b))
    case .not(let inner, _): return .not(try filterPlan(inner))
    case .test(let test): return try testPlan(test)
    case .reference(let name): return try savedFilter(name)
    }
  }

  /// A saved filter, planned from its own text so an error points inside the definition.
  private mutating func savedFilter(_ name: Name) throws(DiagnosticError) -> FilterPlan {
    let key = name.text.lowercased()
    guard let query = table.savedQueries[key] else {
      let candidates = Field.allNames + table.savedQueries.keys.sorted()
      let hint = Suggestion.nearest(to: name.text, in: candidates).map { "did you mean '\($0)'?" }
      throw error(
        "'\(name.text)' is neither a field nor a saved filter", name.span,
        help: hint ?? "a test needs a comparison: \(name.text) = VALUE; `defs` lists saved filters")
    }
    guard !expanding.contains(key) else {
      throw error("saved filter '\(key)' uses itself", name.span)
    }
    if let known = savedFilters[key] {
      try count(known.tests, at: name)
      return known.plan
    }
    guard query.kind == .filter else {
      throw self.error("'\(key)' is a saved statement, not a filter", name.span, help: "run it on its own: \(key)")
    }
    let definition = query.source
    let expression: FilterExpr
    do {
      expression = try query.filter()!
    } catch {
      var diagnostic = error.diagnostic
      diagnostic.message = "in saved filter '\(key)' (used at \(location(name.span))): " + diagnostic.message
      throw DiagnosticError(diagnostic)
    }
    var inner = Planner(table: table, today: today, source: definition)
    inner.expanding = expanding.union([key])
    inner.savedFilters = savedFilters
    do {
      let plan = try inner.filterPlan(expression)
      for warning in inner.warnings { warnings.append(warning) }
      savedFilters = inner.savedFilters
      savedFilters[key] = (plan, inner.testCount)
      try count(inner.testCount, at: name)
      return plan
    } catch {
      var diagnostic = error.diagnostic
      diagnostic.message = "in saved filter '\(key)' (used at \(location(name.span))): " + diagnostic.message
      throw DiagnosticError(diagnostic)
    }
  }

  /// Adds `tests` to the filter's count of tests; past the most allowed, an error.
  private mutating func count(_ tests: Int, at name: Name) throws(DiagnosticError) {
    testCount += tests
    guard testCount <= Planner.maximumTests else {
      throw error(
        "this filter holds more than \(Format.count(Planner.maximumTests)) tests once its saved filters are expanded",
        name.span, help: "saved filters that use each other twice double at every level; use each once")
    }
  }

  func location(_ span: Span) -> String {
    let (line, column) = source.location(of: span.start)
    return "\(source.name):\(line):\(column)"
  }

  private mutating func testPlan(_ test: Test) throws(DiagnosticError) -> FilterPlan {
    testCount += 1
    let target = try field(test.field)
    if target == .probability || target == .weighted { return try weighingPlan(target, test) }
    switch test.kind {
    case .isEmpty(let negated):
      guard target != .id, target != .stage, target != .pipeline, target != .status else {
        throw error("\(target.rawValue) is never empty", test.span)
      }
      let base = target.durationBase ?? target
      return negated ? .not(.isEmpty(base)) : .isEmpty(base)
    case .compare(let comparison, let value):
      let negated = comparison == .notEqual
      let positive = try comparePlan(target, negated ? .equal : comparison, value, test)
      return negated ? .not(positive) : positive
    case .contains(let value, let negated):
      let plan = try containsPlan(target, value)
      return negated ? .not(plan) : plan
    case .oneOf(let values, let negated):
      let plan = try oneOfPlan(target, values, test)
      return negated ? .not(plan) : plan
    case .between(let low, let high, let negated):
      let plan = try betweenPlan(target, low, high, test)
      return negated ? .not(plan) : plan
    case .period(let period, let negated):
      let plan = try periodPlan(target, period, test)
      return negated ? .not(plan) : plan
    }
  }

  private mutating func comparePlan(
    _ target: Field, _ comparison: Test.Comparison, _ value: ValueExpr, _ test: Test
  ) throws(DiagnosticError) -> FilterPlan {
    switch target.kind {
    case .text, .tags:
      guard comparison == .equal else {
        throw error(
          "\(target.rawValue) is text: compare it with =, !=, ~, !~ or in", test.span)
      }
      return try oneOfPlan(target, [value], test)
    case .stage, .pipeline, .status:
      if comparison == .equal { return try oneOfPlan(target, [value], test) }
      guard target == .stage else {
        throw error("\(target.rawValue) can only be compared with = , != or in", test.span)
      }
      return try stageOrderPlan(comparison, value)
    case .integer, .money:
      let number = try numberLiteral(value, for: target)
      return .range(
        target, interval(comparison, number),
        label: "\(target.rawValue) \(comparison.rawValue) \(display(number, target))")
    case .date, .days:
      return try datePlan(target, comparison, value)
    }
  }

  /// Date tests. Against a date: chronological. Against a duration, on a date field
  /// or a derived age: the age, so `last_interaction > 90d` means strictly before
  /// today − 90d.
  private func datePlan(_ target: Field, _ comparison: Test.Comparison, _ value: ValueExpr)
    throws(DiagnosticError) -> FilterPlan
  {
    let base = target.durationBase ?? target
    switch try dateOperand(value, for: target) {
    case .day(let day, let text):
      let label = "\(base.rawValue) \(comparison.rawValue) \(day)\(text == day.description ? "" : " (\(text))")"
      return .range(base, interval(comparison, Int64(day.number)), label: label)
    case .age(let threshold, let text):
      // An age above N is a date before today − N: the comparison flips.
      let flipped: Test.Comparison
      switch comparison {
      case .less: flipped = .greater
      case .lessEqual: flipped = .greaterEqual
      case .greater: flipped = .less
      case .greaterEqual: flipped = .lessEqual
      case .equal, .notEqual: flipped = comparison
      }
      let label =
        "\(base.rawValue) \(flipped.rawValue) \(threshold) (\(target.rawValue) \(comparison.rawValue) \(text))"
      return .range(base, interval(flipped, Int64(threshold.number)), label: label)
    }
  }

  enum DateOperand {
    case day(Day, text: String)
    case age(threshold: Day, text: String)
  }

  func dateOperand(_ value: ValueExpr, for target: Field) throws(DiagnosticError) -> DateOperand {
    let text = source.slice(value.span)
    switch value {
    case .duration(let duration, _):
      guard let threshold = duration.subtracted(from: today) else {
        throw error("\(text) ago is outside the dates pipeq keeps (\(Day.range))", value.span)
      }
      return .age(threshold: threshold, text: text)
    case .number(let number, _, let span) where target.kind == .days:
      guard number == number.rounded() else { throw error("a number of days must be whole", span) }
      guard abs(number) <= Double(Duration.largest), let threshold = today.offset(days: -Int(number)) else {
        throw error("\(text) days ago is outside the dates pipeq keeps (\(Day.range))", span)
      }
      return .age(threshold: threshold, text: "\(Int(number))d")
    default:
      if target.kind == .days {
        throw error(
          "\(target.rawValue) is a duration in days; compare it with a duration such as 90d, found \(describe(value))",
          value.span)
      }
      return .day(try dayLiteral(value, for: target), text: text)
    }
  }

  /// `stage >= qualified`: stages at or past qualified in each deal's own pipeline;
  /// pipelines without that stage match nothing.
  private func stageOrderPlan(_ comparison: Test.Comparison, _ value: ValueExpr)
    throws(DiagnosticError) -> FilterPlan
  {
    let name = try stageName(value)
    let catalog = table.pipelines
    var ids = Set<UInt16>()
    for (index, pipeline) in catalog.pipelines.enumerated() {
      guard let pivot = catalog.stage(named: name.text, in: UInt16(index)) else { continue }
      let position = catalog.stages[Int(pivot)].position
      for stage in pipeline.stages {
        let p = catalog.stages[Int(stage)].position
        let keep: Bool
        switch comparison {
        case .less: keep = p < position
        case .lessEqual: keep = p <= position
        case .greater: keep = p > position
        case .greaterEqual: keep = p >= position
        case .equal, .notEqual: keep = p == position
        }
        if keep { ids.insert(stage) }
      }
    }
    return .stages(ids, label: "stage \(comparison.rawValue) \(name.text) (by stage order)")
  }

  private mutating func oneOfPlan(_ target: Field, _ values: [ValueExpr], _ test: Test)
    throws(DiagnosticError) -> FilterPlan
  {
    switch target.kind {
    case .text, .tags:
      var texts: [String] = []
      for value in values {
        let text = try textLiteral(value, for: target)
        texts.append(text)
        warnIfUnknown(target, text, value.span)
      }
      return target == .tags ? .tagIn(texts) : .textIn(target, texts)
    case .stage:
      var ids = Set<UInt16>()
      var names: [String] = []
      for value in values {
        let name = try stageName(value)
        let matches = table.pipelines.stageIDs(named: name.text)
        guard !matches.isEmpty else { throw unknownStage(name) }
        ids.formUnion(matches)
        names.append(table.pipelines.stages[Int(matches[0])].name)
      }
      return .stages(ids, label: stageLabel("stage", names))
    case .pipeline:
      var ids = Set<UInt16>()
      var names: [String] = []
      for value in values {
        let name = try stageName(value)
        let pipeline = try self.pipeline(name)
        ids.formUnion(table.pipelines.pipelines[Int(pipeline)].stages)
        names.append(table.pipelines.pipelines[Int(pipeline)].name)
      }
      return .stages(ids, label: stageLabel("pipeline", names))
    case .status:
      var ids = Set<UInt16>()
      var names: [String] = []
      for value in values {
        let name = try stageName(value)
        guard let status = DealStatus(rawValue: name.text.folded) else {
          throw error("status is open, won or lost; found '\(name.text)'", name.span)
        }
        names.append(status.rawValue)
        for stage in table.pipelines.stages.indices where table.pipelines.status(of: UInt16(stage)) == status {
          ids.insert(UInt16(stage))
        }
      }
      return .stages(ids, label: stageLabel("status", names))
    case .integer, .money:
      var points = Set<Int64>()
      for value in values { points.insert(try numberLiteral(value, for: target)) }
      let label = "\(target.rawValue) in (\(points.sorted().map { display($0, target) }.joined(separator: ", ")))"
      return .points(target, points, label: label)
    case .date, .days:
      var plan: FilterPlan?
      for value in values {
        let single = try datePlan(target, .equal, value)
        plan = plan.map { .or($0, single) } ?? single
      }
      return plan!
    }
  }

  private func stageLabel(_ field: String, _ names: [String]) -> String {
    names.count == 1 ? "\(field) = \(names[0])" : "\(field) in (\(names.joined(separator: ", ")))"
  }

  private func containsPlan(_ target: Field, _ value: ValueExpr) throws(DiagnosticError)
    -> FilterPlan
  {
    switch target.kind {
    case .text:
      return .textContains(target, try textLiteral(value, for: target))
    case .tags:
      return .tagContains(try textLiteral(value, for: target))
    default:
      throw error("~ tests text; \(target.rawValue) is \(Planner.kindName(target))", value.span)
    }
  }

  private func betweenPlan(_ target: Field, _ low: ValueExpr, _ high: ValueExpr, _ test: Test)
    throws(DiagnosticError) -> FilterPlan
  {
    switch target.kind {
    case .integer, .money:
      let a = try numberLiteral(low, for: target)
      let b = try numberLiteral(high, for: target)
      guard a <= b else { throw error("between needs the smaller value first", low.span.to(high.span)) }
      return .range(target, a...b, label: "\(target.rawValue) between \(display(a, target)) and \(display(b, target))")
    case .date, .days:
      let base = target.durationBase ?? target
      let first = try dateOperand(low, for: target)
      let second = try dateOperand(high, for: target)
      var days: [Int32] = []
      for operand in [first, second] {
        switch operand {
        case .day(let day, _), .age(let day, _): days.append(day.number)
        }
      }
      let lower = Int64(days.min()!)
      let upper = Int64(days.max()!)
      let label =
        "\(base.rawValue) between \(Day(number: Int32(lower))) and \(Day(number: Int32(upper))) (\(source.slice(test.span)))"
      return .range(base, lower...upper, label: label)
    default:
      throw error(
        "between needs numbers or dates; \(target.rawValue) is \(Planner.kindName(target))", test.span)
    }
  }

  /// A closed interval for a comparison with one integer; never contains the
  /// empty-value sentinels.
  func interval(_ comparison: Test.Comparison, _ value: Int64) -> ClosedRange<Int64> {
    let low = Int64(Int32.min) + 1
    let high = Int64.max
    switch comparison {
    case .equal, .notEqual: return value...value
    case .less: return low...max(low, value - 1)
    case .lessEqual: return low...value
    case .greater: return min(value + 1, high)...high
    case .greaterEqual: return value...high
    }
  }

  private mutating func warnIfUnknown(_ target: Field, _ text: String, _ span: Span) {
    guard target.warnsOnUnknownValue else { return }
    let known =
      target == .tags ? table.tags.names.strings : table[keyPath: DealTable.textPath(target)!].dictionary.strings
    let key = text.folded
    if known.contains(where: { $0.folded == key }) { return }
    let hint = Suggestion.nearest(to: text, in: known.filter { !$0.isEmpty })
    let message = "no deal has \(target.rawValue) '\(text)'" + (hint.map { " (did you mean '\($0)'?)" } ?? "")
    warn(message, span)
  }

  func display(_ number: Int64, _ field: Field) -> String {
    field == .value ? Money.plain(number) : String(number)
  }
}
