extension Pipelines {
  struct Inconsistent: Error {}

  /// Rebuilding a catalog read from disk: stages are added in their original id order,
  /// then each pipeline's stage order is restored.
  mutating func addPipelineShell(named name: String) -> UInt16 {
    setPipelines(pipelines + [Pipeline(name: name, stages: [])])
    return UInt16(pipelines.count - 1)
  }

  mutating func appendStage(named name: String, to pipeline: UInt16) {
    var list = stages
    list.append(Stage(name: name, pipeline: pipeline, position: 0))
    var all = pipelines
    all[Int(pipeline)].stages.append(UInt16(list.count - 1))
    setStages(list)
    setPipelines(all)
  }

  mutating func reorder(pipeline: UInt16, as names: [String]) throws {
    var all = pipelines
    var list = stages
    let ids = all[Int(pipeline)].stages
    var ordered: [UInt16] = []
    for name in names {
      guard let id = ids.first(where: { list[Int($0)].name == name }) else { throw Inconsistent() }
      ordered.append(id)
    }
    guard ordered.count == ids.count else { throw Inconsistent() }
    all[Int(pipeline)].stages = ordered
    for (position, id) in ordered.enumerated() { list[Int(id)].position = position }
    setStages(list)
    setPipelines(all)
  }
}
