/// Stage-to-stage conversion for a cohort (deals created in the period, else all): a deal
/// reached a stage when its furthest stage is at or past it — for a lost deal, the
/// furthest open stage it was in — so skipped stages count as passed; `strict` counts
/// only stages the deal was actually in (from the stage history).
enum Funnel {
  struct Step: Sendable {
    var stage: String
    var reached: Int
  }

  static func steps(_ plan: FunnelPlan, _ filter: FilterPlan, _ table: DealTable) -> [Step] {
    let catalog = table.pipelines
    let pipeline = plan.pipeline
    // Its open stages in order, then won: lost and parked stages are no step.
    let stages = catalog.stages(of: pipeline, kind: .open) + catalog.stages(of: pipeline, kind: .won)
    var position = [Int](repeating: -1, count: catalog.stages.count)
    for (index, stage) in stages.enumerated() { position[Int(stage)] = index }
    let wonPosition = stages.firstIndex { catalog.status(of: $0) == .won } ?? stages.count
    // Per row: the furthest open position the history shows, and (strict) every
    // position entered, as bits.
    var furthest = [Int](repeating: -1, count: table.count)
    var entered = [UInt64](repeating: 0, count: table.count)
    for index in table.history.ids.indices {
      let stage = table.history.to[index]
      guard position[Int(stage)] >= 0, let row = table.row(of: table.history.ids[index]) else { continue }
      let place = position[Int(stage)]
      entered[row] |= 1 << UInt64(min(place, 63))
      if place < wonPosition { furthest[row] = max(furthest[row], place) }
    }
    var reached = [Int](repeating: 0, count: stages.count)
    let createdDays = table.dateColumn(.created)
    FilterCompiler.bitmap(filter, table).forEachRow { row in
      let stage = table.stage[row]
      guard catalog.stages[Int(stage)].pipeline == pipeline else { return }
      if let period = plan.period {
        let created = createdDays[row]
        guard created != DealTable.emptyDay, period.contains(Day(number: created)) else { return }
      }
      let now = position[Int(stage)]
      if plan.strict {
        var bits = entered[row]
        if now >= 0 { bits |= 1 << UInt64(min(now, 63)) }
        for place in stages.indices where place == 0 || bits & (1 << UInt64(min(place, 63))) != 0 {
          reached[place] += 1
        }
        return
      }
      // Won: every stage up to won. Open: up to the furthest of now and before. Lost:
      // up to the furthest open stage it was in (at least the first).
      let top: Int
      switch catalog.status(of: stage) {
      case .won: top = wonPosition
      case .open: top = max(now, furthest[row])
      case .lost, .parked: top = max(0, furthest[row])
      }
      for place in 0...min(top, stages.count - 1) { reached[place] += 1 }
    }
    return stages.indices.map { Step(stage: catalog.stages[Int(stages[$0])].name, reached: reached[$0]) }
  }

  static func run(_ plan: FunnelPlan, _ filter: FilterPlan, _ table: DealTable) -> ReportResult {
    let steps = steps(plan, filter, table)
    let pipeline = table.pipelines.pipelines[Int(plan.pipeline)].name
    let first = steps.first?.reached ?? 0
    func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
    let rows: [[Value]] = steps.indices.map { index in
      let step = steps[index]
      let previous = index == 0 ? nil : ratio(step.reached, steps[index - 1].reached)
      return [
        .text(step.stage), .integer(Int64(step.reached)),
        previous.map { .number(($0 * 1000).rounded() / 1000) } ?? .empty,
        ratio(step.reached, first).map { .number(($0 * 1000).rounded() / 1000) } ?? .empty,
      ]
    }
    let result = ResultTable(columns: ["stage", "reached", "of_previous", "of_first"], rows: rows)
    let cohort =
      plan.period.map { "deals created \($0.name) (\($0.first) to \($0.last))" } ?? "all deals"
    let heading = "funnel: \(pipeline), \(cohort)\(plan.strict ? ", stages entered only" : "")\n\n"
    var pairs: [(String, String)] = [
      ("report", "\"funnel\""), ("pipeline", JSONWriter.quote(pipeline)),
      ("period", plan.period.map { JSONWriter.quote($0.name) } ?? "null"), ("strict", String(plan.strict)),
    ]
    pairs.append(
      (
        "stages",
        "["
          + rows.map { row in
            JSONWriter.object(zip(result.columns, row).map { ($0, JSONWriter.json($1)) })
          }.joined(separator: ", ") + "]"
      ))
    return ReportResult(
      table: result, json: JSONWriter.object(pairs) + "\n",
      text: { width in heading + bars(steps, width: width) })
  }

  /// A bar per stage, as long as its share of the first stage.
  static func bars(_ steps: [Step], width: Int) -> String {
    let first = max(1, steps.first?.reached ?? 1)
    let nameWidth = steps.map(\.stage.displayWidth).max() ?? 0
    let countWidth = steps.map { Format.count($0.reached).count }.max() ?? 0
    let barWidth = max(10, min(50, width - nameWidth - countWidth - 24))
    var out = ""
    for (index, step) in steps.enumerated() {
      let length = Int((Double(step.reached) / Double(first) * Double(barWidth)).rounded())
      let bar = String(repeating: "█", count: length) + String(repeating: " ", count: barWidth - length)
      let count = Format.count(step.reached)
      var line =
        step.stage.padded(to: nameWidth) + "  " + bar + "  " + String(repeating: " ", count: countWidth - count.count)
        + count
      if index > 0, steps[index - 1].reached > 0 {
        line +=
          "  " + Settings.percent(Double(step.reached) / Double(steps[index - 1].reached))
          + " of \(steps[index - 1].stage)"
      }
      out += line + "\n"
    }
    return out
  }
}
