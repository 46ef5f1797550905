extension Planner {
  /// `probability` and `weighted` depend on the stage, so a test on them becomes a test
  /// on stages (and on value per stage): `probability >= 40` is the stages at 40% or
  /// more; `weighted > 10k` is, stage by stage, the values that weigh more than 10k
  /// there. The scan then runs the kernels it already has.
  func weighingPlan(_ target: Field, _ test: Test) throws(DiagnosticError) -> FilterPlan {
    let range: ClosedRange<Int64>
    var negated = false
    switch test.kind {
    case .compare(let comparison, let value):
      negated = comparison == .notEqual
      range = interval(negated ? .equal : comparison, try numberLiteral(value, for: target))
    case .between(let low, let high, let isNegated):
      let (a, b) = (try numberLiteral(low, for: target), try numberLiteral(high, for: target))
      guard a <= b else { throw error("between needs the smaller value first", low.span.to(high.span)) }
      range = a...b
      negated = isNegated
    case .isEmpty(let isNegated) where target == .weighted:
      return isNegated ? .not(.isEmpty(.value)) : .isEmpty(.value)
    default:
      throw error(
        "\(target.rawValue) is a number: compare it with =, !=, <, <=, >, >= or between", test.span)
    }
    let probabilities = table.stageProbabilities()
    let label =
      "\(target.rawValue) \(source.slice(test.span).dropFirst(test.field.text.count).trimmingCharacters(in: .whitespaces))"
    let plan: FilterPlan
    if target == .probability {
      let stages = probabilities.indices.filter { range.contains(Int64((probabilities[$0] * 100).rounded())) }
      plan = .stages(Set(stages.map { UInt16($0) }), label: label)
    } else {
      // Stages grouped by probability; per group, the values v with round(v × p) in range.
      var groups: [Double: Set<UInt16>] = [:]
      for (stage, probability) in probabilities.enumerated() { groups[probability, default: []].insert(UInt16(stage)) }
      var parts: [FilterPlan] = []
      for (probability, stages) in groups.sorted(by: { $0.key < $1.key }) {
        let stageLabel = "stage at \(Settings.percent(probability))"
        if probability == 0 {
          if range.contains(0) { parts.append(.and(.stages(stages, label: stageLabel), .not(.isEmpty(.value)))) }
          continue
        }
        let low =
          range.lowerBound <= Int64(Int32.min) + 1
          ? Int64(Int32.min) + 1 : Int64(((Double(range.lowerBound) - 0.5) / probability).rounded(.up))
        let high =
          range.upperBound == Int64.max
          ? Int64.max : Int64(((Double(range.upperBound) + 0.5) / probability).rounded(.up)) - 1
        guard low <= high else { continue }
        let valueLabel = "value \(Format.money(low))…\(high == Int64.max ? "" : Format.money(high))"
        parts.append(.and(.stages(stages, label: stageLabel), .range(.value, low...high, label: valueLabel)))
      }
      plan = parts.isEmpty ? .stages([], label: label) : parts.dropFirst().reduce(parts[0]) { .or($0, $1) }
    }
    return negated ? .not(plan) : plan
  }
}
