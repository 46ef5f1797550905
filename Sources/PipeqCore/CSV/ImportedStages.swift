/// The pipelines and stages an import leaves: stages in the order their CRM ships
/// them (won and lost last), never a stage the file does not use, and the built-in
/// `sales` pipeline only a default — the first import into an empty store that uses
/// none of its open stages replaces them with the file's own.
enum ImportedStages {
  /// A (pipeline, stage) pair by folded names.
  struct Key: Hashable {
    var pipeline: String
    var stage: String
  }

  /// The pairs the pieces' rows use.
  static func used(_ chunks: [CSVChunk]) -> Set<Key> {
    var keys = Set<Key>()
    for chunk in chunks {
      var seen = [Bool](repeating: false, count: chunk.catalog.stages.count)
      let stages = chunk.columns.buffers.stages
      for row in 0..<chunk.columns.count { seen[Int(stages[row])] = true }
      for (id, stage) in chunk.catalog.stages.enumerated() where seen[id] {
        keys.insert(Key(pipeline: chunk.catalog.pipelines[Int(stage.pipeline)].name.folded, stage: stage.name.folded))
      }
    }
    return keys
  }

  /// The catalog to import under. Stage ids of a store that has deals never change;
  /// only an empty store's catalog is rebuilt.
  /// `probabilities`, when the file has them for every open stage of a pipeline,
  /// order its stages (lowest first) in place of the CRM's order.
  static func settle(
    _ catalog: Pipelines, before: Pipelines, storeIsEmpty: Bool, used: Set<Key>,
    probabilities: [Key: Double] = [:]
  ) -> Pipelines {
    var lists = catalog.pipelines.enumerated().map { index, pipeline in
      (
        name: pipeline.name, stages: pipeline.stages.map { catalog.stages[Int($0)].name },
        kinds: Dictionary(
          pipeline.stages.map { (catalog.stages[Int($0)].name.folded, catalog.status(of: $0)) },
          uniquingKeysWith: { first, _ in first }),
        grew: pipeline.stages.count > (index < before.pipelines.count ? before.pipelines[index].stages.count : 0),
        shapedByHand: index < before.pipelines.count && !(storeIsEmpty && before == Pipelines.standard)
          && ImportedStages.isShapedByHand(before, UInt16(index)),
        isRemoved: pipeline.isRemoved
      )
    }
    if storeIsEmpty, before == Pipelines.standard, let sales = lists.first {
      let key = sales.name.folded
      let defaults = Set(Pipelines.defaultStages.map { $0.folded }.filter { catalog.status(ofStageNamed: $0) == .open })
      if !used.contains(where: { $0.pipeline == key }) {
        // The file's deals are all in pipelines of its own.
        lists.removeFirst()
      } else if !used.contains(where: { $0.pipeline == key && defaults.contains($0.stage) }) {
        lists[0].stages.removeAll { defaults.contains($0.folded) }
      }
    }
    // Pipelines the import added stages to take their CRM's order, unless the store's own
    // order was set by hand: then it stays, and a stage the file adds goes before the
    // closing stages (where `addStage` put it).
    for index in lists.indices where lists[index].grew && !lists[index].shapedByHand {
      let kinds = lists[index].kinds
      let open = lists[index].stages.filter { kinds[$0.folded] == .open }
      let closing = lists[index].stages.filter { kinds[$0.folded] != .open }
      let pipeline = lists[index].name.folded
      let chances = open.compactMap { probabilities[Key(pipeline: pipeline, stage: $0.folded)] }
      if chances.count == open.count && Set(chances).count > 1 {
        let ranked = zip(open, chances).enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }
        lists[index].stages = ranked.map(\.element.0) + closing
      } else {
        lists[index].stages = StageOrder.sorted(open) + closing
      }
    }
    guard storeIsEmpty else {
      var ordered = catalog
      for (index, list) in lists.enumerated() { try? ordered.reorder(pipeline: UInt16(index), as: list.stages) }
      return ordered
    }
    var rebuilt = Pipelines()
    for list in lists where !list.isRemoved { _ = rebuilt.addPipeline(named: list.name, stages: list.stages) }
    return rebuilt
  }

  /// Whether a pipeline's open stages are in an order the CRM's order would not give
  /// (`move stage` put them there), or it holds a stage kind no file makes (parked).
  static func isShapedByHand(_ catalog: Pipelines, _ pipeline: UInt16) -> Bool {
    let stages = catalog.pipelines[Int(pipeline)].stages
    if stages.contains(where: { catalog.status(of: $0) == .parked }) { return true }
    let open = stages.filter { catalog.status(of: $0) == .open }.map { catalog.stages[Int($0)].name }
    return StageOrder.sorted(open) != open
  }
}
