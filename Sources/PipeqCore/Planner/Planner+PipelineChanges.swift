/// A statement that shapes pipelines, checked against the store and worked out whole:
/// the catalog after it, the deals it moves, what it says.
public struct PipelineChangePlan: Sendable {
  public var catalog: Pipelines
  /// Deals moved out of a removed stage (`into`), and the stage they go to.
  public var moved: [Int] = []
  public var into: UInt16?
  /// Settings for a stage name kept from older stores, cleared by `… none`.
  public var clearedSettings: [String] = []
  public var done: String
  public var preview: String
}

extension Planner {
  /// Stages a pipeline can have before pipeq says it is a lot.
  static let advisedStages = 10

  mutating func pipelineChange(_ change: PipelineChange) throws(DiagnosticError) -> PipelineChangePlan {
    switch change {
    case .createPipeline(let name, let stages): return try createPipeline(name, stages)
    case .renamePipeline(let name, let newName): return try renamePipeline(name, newName)
    case .removePipeline(let name): return try removePipeline(name)
    case .addStage(let name, let place, let pipeline): return try addStage(name, place, pipeline)
    case .renameStage(let name, let newName, let pipeline): return try renameStage(name, newName, pipeline)
    case .moveStage(let name, let place, let pipeline): return try moveStage(name, place, pipeline)
    case .removeStage(let name, let pipeline, let into): return try removeStage(name, pipeline, into)
    case .setStage(let name, let setting, let pipeline): return try setStage(name, setting, pipeline)
    }
  }

  private mutating func createPipeline(_ name: Name, _ stages: [Name]) throws(DiagnosticError) -> PipelineChangePlan {
    try checkFree(name)
    var seen = Set<String>()
    for stage in stages where !seen.insert(stage.text.folded).inserted {
      throw error("stage '\(stage.text)' is listed twice", stage.span)
    }
    var catalog = table.pipelines
    let id = catalog.createPipeline(named: name.text, stages: stages.map(\.text))
    warnIfLong(catalog, id, name.span)
    let list = catalog.pipelines[Int(id)].stages.map { catalog.stages[Int($0)].name }.joined(separator: ", ")
    return plan(catalog, "create", "created", "pipeline \(name.text): \(list)")
  }

  private func renamePipeline(_ name: Name, _ newName: Name) throws(DiagnosticError) -> PipelineChangePlan {
    let id = try pipeline(name)
    if let other = table.pipelines.pipeline(named: newName.text), other != id { try checkFree(newName) }
    var catalog = table.pipelines
    let old = catalog.pipelines[Int(id)].name
    catalog.renamePipeline(id, to: newName.text)
    return plan(catalog, "rename", "renamed", "pipeline \(old) to \(newName.text)")
  }

  private func removePipeline(_ name: Name) throws(DiagnosticError) -> PipelineChangePlan {
    let id = try pipeline(name)
    let catalog = table.pipelines
    guard catalog.livePipelineIDs.count > 1 else {
      throw error("'\(catalog.pipelines[Int(id)].name)' is the only pipeline: a store keeps one", name.span)
    }
    let stages = Set(catalog.pipelines[Int(id)].stages)
    let deals = table.stage.reduce(0) { $0 + (stages.contains($1) ? 1 : 0) }
    guard deals == 0 else {
      let pipelineName = catalog.pipelines[Int(id)].name
      throw error(
        "pipeline '\(pipelineName)' has \(Planner.deals(deals)): nothing was removed", name.span,
        help:
          "move them to another pipeline first (move to OTHER/STAGE where pipeline = \(pipelineName)), or delete them")
    }
    var after = catalog
    after.removePipeline(id)
    return plan(after, "remove", "removed", "pipeline \(catalog.pipelines[Int(id)].name)")
  }

  private mutating func addStage(_ name: Name, _ place: StagePlace?, _ pipelineName: Name?) throws(DiagnosticError)
    -> PipelineChangePlan
  {
    let catalog = table.pipelines
    let pipeline: UInt16
    if let pipelineName {
      pipeline = try self.pipeline(pipelineName)
    } else if let place {
      pipeline = catalog.stages[Int(try stageAnywhere(place.stage))].pipeline
    } else {
      pipeline = try onlyPipeline(name.span)
    }
    if catalog.stage(named: name.text, in: pipeline) != nil {
      throw error("pipeline '\(catalog.pipelines[Int(pipeline)].name)' has a stage '\(name.text)' already", name.span)
    }
    let order = catalog.pipelines[Int(pipeline)].stages
    var position = order.firstIndex { catalog.status(of: $0) != .open } ?? order.count
    var placed = ""
    if let place {
      let anchor = try stage(place.stage, in: pipeline)
      position = order.firstIndex(of: anchor)! + (place.after ? 1 : 0)
      placed = " \(place.after ? "after" : "before") \(catalog.stages[Int(anchor)].name)"
    }
    var after = catalog
    after.insertStage(named: name.text, in: pipeline, at: position)
    warnIfLong(after, pipeline, name.span)
    return plan(after, "add", "added", "stage \(name.text) to \(catalog.pipelines[Int(pipeline)].name)\(placed)")
  }

  private func renameStage(_ name: Name, _ newName: Name, _ pipelineName: Name?) throws(DiagnosticError)
    -> PipelineChangePlan
  {
    let id = try stage(name, pipelineName)
    var after = table.pipelines
    let info = after.stages[Int(id)]
    if let other = after.stage(named: newName.text, in: info.pipeline), other != id {
      throw error(
        "pipeline '\(after.pipelines[Int(info.pipeline)].name)' has a stage '\(newName.text)' already", newName.span)
    }
    // Settings an older store keeps for the old name go with the stage.
    let settings = table.settings
    after.editStage(id) { stage in
      stage.name = newName.text
      stage.probability = stage.probability ?? settings.probabilities[info.name.folded]
      stage.rottingDays = stage.rottingDays ?? settings.rottingDays[info.name.folded]
    }
    return plan(
      after, "rename", "renamed", "stage \(info.name) of \(after.pipelines[Int(info.pipeline)].name) to \(newName.text)"
    )
  }

  private func moveStage(_ name: Name, _ place: StagePlace, _ pipelineName: Name?) throws(DiagnosticError)
    -> PipelineChangePlan
  {
    let id = try stage(name, pipelineName)
    let catalog = table.pipelines
    let pipeline = catalog.stages[Int(id)].pipeline
    let anchor = try stage(place.stage, in: pipeline)
    guard anchor != id else {
      throw error("a stage cannot go \(place.after ? "after" : "before") itself", place.stage.span)
    }
    var order = catalog.pipelines[Int(pipeline)].stages
    order.removeAll { $0 == id }
    var after = catalog
    after.moveStage(id, to: order.firstIndex(of: anchor)! + (place.after ? 1 : 0))
    let list = after.pipelines[Int(pipeline)].stages.map { after.stages[Int($0)].name }.joined(separator: ", ")
    let placed = "\(place.after ? "after" : "before") \(catalog.stages[Int(anchor)].name)"
    return plan(
      after, "move", "moved",
      "stage \(catalog.stages[Int(id)].name) \(placed) in \(catalog.pipelines[Int(pipeline)].name): \(list)")
  }

  private func removeStage(_ name: Name, _ pipelineName: Name?, _ into: Name?) throws(DiagnosticError)
    -> PipelineChangePlan
  {
    let id = try stage(name, pipelineName)
    let catalog = table.pipelines
    let info = catalog.stages[Int(id)]
    let pipelineText = catalog.pipelines[Int(info.pipeline)].name
    try checkKeepsClosingStages(catalog, id, losing: info.kind, at: name.span)
    let rows = table.stage.indices.filter { table.stage[$0] == id }
    var target: UInt16?
    if let into {
      let stage = try stage(into, in: info.pipeline)
      guard stage != id else { throw error("a stage's deals cannot move into itself", into.span) }
      target = stage
    } else if !rows.isEmpty {
      throw error(
        "stage '\(info.name)' of \(pipelineText) has \(Planner.deals(rows.count)): nothing was removed", name.span,
        help: "remove stage \(info.name) in \(pipelineText) into STAGE moves them there first")
    }
    var after = catalog
    after.removeStage(id)
    let moved =
      rows.isEmpty
      ? "" : target.map { " (\(Planner.deals(rows.count)) moved to \(catalog.stages[Int($0)].name))" } ?? ""
    var result = plan(after, "remove", "removed", "stage \(info.name) from \(pipelineText)\(moved)")
    result.moved = rows
    result.into = target
    return result
  }

  private func setStage(_ name: Name, _ setting: StageSetting, _ pipelineName: Name?) throws(DiagnosticError)
    -> PipelineChangePlan
  {
    let catalog = table.pipelines
    let ids: [UInt16] =
      try pipelineName.map { p throws(DiagnosticError) in [try stage(name, in: try pipeline(p))] }
      ?? catalog.stageIDs(named: name.text)
    guard !ids.isEmpty else { throw unknownStage(name) }
    var after = catalog
    var cleared: [String] = []
    let stageName = catalog.stages[Int(ids[0])].name
    let said: String
    switch setting {
    case .kind(let word):
      guard let kind = DealStatus(rawValue: word.text.folded) else {
        throw error("a stage's kind is open, won, lost or parked", word.span)
      }
      for id in ids where catalog.status(of: id) != kind {
        try checkKeepsClosingStages(after, id, losing: catalog.status(of: id), at: word.span)
        after.editStage(id) { $0.kind = kind }
      }
      said = "\(stageName) is \(kind.rawValue)" + (kind == .parked ? ": out of the open pipeline and win rates" : "")
    case .probability(let word):
      let fraction = try percentage(word)
      for id in ids { after.editStage(id) { $0.probability = fraction } }
      if fraction == nil, pipelineName == nil { cleared.append(Settings.probabilityKey(stageName)) }
      said =
        fraction.map { "\(stageName): \(Settings.percent($0)) of its value counts as weighted" }
        ?? "\(stageName): back to the default probability"
    case .rotting(let word):
      let days = try days(word)
      for id in ids { after.editStage(id) { $0.rottingDays = days } }
      if days == nil, pipelineName == nil { cleared.append(Settings.rottingKey(stageName)) }
      said = days.map { "\(stageName): rotting after \($0) days idle" } ?? "\(stageName): back to the default rotting"
    }
    let scope = pipelineName == nil && ids.count > 1 ? " (in \(ids.count) pipelines)" : ""
    var result = PipelineChangePlan(catalog: after, done: said + scope, preview: "would set: " + said + scope)
    result.clearedSettings = cleared.filter { table.definitions[$0] != nil }
    return result
  }

  // MARK: Checks and names

  /// The stage a name means in the pipeline named, or in the one pipeline that has it.
  private func stage(_ name: Name, _ pipelineName: Name?) throws(DiagnosticError) -> UInt16 {
    if let pipelineName { return try stage(name, in: try pipeline(pipelineName)) }
    return try stageAnywhere(name)
  }

  private func stageAnywhere(_ name: Name) throws(DiagnosticError) -> UInt16 {
    let catalog = table.pipelines
    let ids = catalog.stageIDs(named: name.text)
    guard !ids.isEmpty else { throw unknownStage(name) }
    guard ids.count == 1 else {
      let names = ids.map { catalog.pipelineName(of: $0) }
      throw error(
        "stage '\(name.text)' is in \(names.count) pipelines (\(names.joined(separator: ", "))): which one?", name.span,
        help: "say in \(names[0]) (or in \(names[1]))")
    }
    return ids[0]
  }

  private func onlyPipeline(_ span: Span) throws(DiagnosticError) -> UInt16 {
    let live = table.pipelines.livePipelineIDs
    guard live.count == 1 else {
      throw error(
        "which pipeline? there are \(live.count)", span,
        help: "add in " + live.map { table.pipelines.pipelines[Int($0)].name }.joined(separator: " or in "))
    }
    return live[0]
  }

  private func checkFree(_ name: Name) throws(DiagnosticError) {
    if table.pipelines.pipeline(named: name.text) != nil {
      throw error("there is a pipeline '\(name.text)' already", name.span)
    }
  }

  /// A pipeline keeps a won and a lost stage: `close won|lost` needs one to close into.
  private func checkKeepsClosingStages(_ catalog: Pipelines, _ id: UInt16, losing kind: DealStatus, at span: Span)
    throws(DiagnosticError)
  {
    guard kind == .won || kind == .lost else { return }
    let pipeline = catalog.stages[Int(id)].pipeline
    guard catalog.stages(of: pipeline, kind: kind).count > 1 else {
      throw error(
        "'\(catalog.stages[Int(id)].name)' is the only \(kind.rawValue) stage of \(catalog.pipelines[Int(pipeline)].name): close \(kind.rawValue) needs one",
        span)
    }
  }

  private mutating func warnIfLong(_ catalog: Pipelines, _ pipeline: UInt16, _ span: Span) {
    let count = catalog.pipelines[Int(pipeline)].stages.count
    guard count > Planner.advisedStages else { return }
    warn(
      "\(catalog.pipelines[Int(pipeline)].name) now has \(count) stages: 7 to 10 keep a pipeline readable, each a step a deal really takes (a separate pipeline suits another product or segment)",
      span)
  }

  /// A change's plan with both wordings: "would rename …", "renamed …".
  private func plan(_ catalog: Pipelines, _ verb: String, _ past: String, _ rest: String) -> PipelineChangePlan {
    PipelineChangePlan(catalog: catalog, done: past + " " + rest, preview: "would " + verb + " " + rest)
  }

  static func deals(_ count: Int) -> String { "\(Format.count(count)) \(count == 1 ? "deal" : "deals")" }

  /// `60%`, `0.6`, `60`, or `none` (nil).
  private func percentage(_ word: Name) throws(DiagnosticError) -> Double? {
    if word.text.lowercased() == "none" { return nil }
    let text = word.text.hasSuffix("%") ? String(word.text.dropLast()) : word.text
    guard let number = Double(text), number >= 0, number <= 100 else {
      throw error("a probability is a percentage from 0% to 100%", word.span)
    }
    return word.text.hasSuffix("%") || number > 1 ? number / 100 : number
  }

  /// `14d`, `14`, or `none` (nil).
  private func days(_ word: Name) throws(DiagnosticError) -> Int? {
    if word.text.lowercased() == "none" { return nil }
    let text = word.text.lowercased().hasSuffix("d") ? String(word.text.dropLast()) : word.text
    guard let days = Int(text), days > 0 else {
      throw error("rotting takes a number of days, as in 14d", word.span)
    }
    return days
  }
}
