/// Shaping the catalog by hand: pipelines created, renamed and removed, stages added,
/// renamed, reordered, removed and given a kind or settings of their own. Each keeps
/// every id: a deal's stage and the stage history mean what they meant. Checks (a name
/// taken, deals still in a stage) are the planner's; these only do it.
extension Pipelines {
  /// A pipeline with these stages in this order (each kind from its name), won and
  /// lost added at the end when the list has none of that kind.
  @discardableResult
  public mutating func createPipeline(named name: String, stages names: [String]) -> UInt16 {
    let id = UInt16(pipelines.count)
    var all = pipelines
    all.append(Pipeline(name: name, stages: []))
    setPipelines(all)
    var list = names
    for closing in ["won", "lost"] where !names.contains(where: { Pipelines.status(named: $0).rawValue == closing }) {
      list.append(closing)
    }
    for (position, stage) in list.enumerated() { insertStage(named: stage, in: id, at: position) }
    return id
  }

  public mutating func renamePipeline(_ id: UInt16, to name: String) {
    var all = pipelines
    all[Int(id)].name = name
    setPipelines(all)
  }

  /// Takes a pipeline and its stages out of every list; their ids stay taken.
  public mutating func removePipeline(_ id: UInt16) {
    var all = pipelines
    var list = stages
    for stage in all[Int(id)].stages { list[Int(stage)].isRemoved = true }
    all[Int(id)].stages = []
    all[Int(id)].isRemoved = true
    setStages(list)
    setPipelines(all)
  }

  /// A new stage at `position` of a pipeline's order, its kind from its name unless given.
  @discardableResult
  public mutating func insertStage(named name: String, kind: DealStatus? = nil, in pipeline: UInt16, at position: Int)
    -> UInt16
  {
    let id = UInt16(stages.count)
    var list = stages
    list.append(Stage(name: name, pipeline: pipeline, position: 0, kind: kind ?? Pipelines.status(named: name)))
    var all = pipelines
    all[Int(pipeline)].stages.insert(id, at: min(position, all[Int(pipeline)].stages.count))
    commit(list, all, reordering: pipeline)
    return id
  }

  public mutating func renameStage(_ id: UInt16, to name: String) {
    editStage(id) { $0.name = name }
  }

  /// Moves a stage to `position` of its pipeline's order (counted without it).
  public mutating func moveStage(_ id: UInt16, to position: Int) {
    let pipeline = stages[Int(id)].pipeline
    var all = pipelines
    all[Int(pipeline)].stages.removeAll { $0 == id }
    all[Int(pipeline)].stages.insert(id, at: min(position, all[Int(pipeline)].stages.count))
    commit(stages, all, reordering: pipeline)
  }

  /// Takes a stage out of its pipeline's order and every lookup; its id stays taken.
  public mutating func removeStage(_ id: UInt16) {
    let pipeline = stages[Int(id)].pipeline
    var list = stages
    list[Int(id)].isRemoved = true
    list[Int(id)].position = -1
    var all = pipelines
    all[Int(pipeline)].stages.removeAll { $0 == id }
    commit(list, all, reordering: pipeline)
  }

  /// Changes one stage's kind, own probability or own rotting days.
  public mutating func editStage(_ id: UInt16, _ change: (inout Stage) -> Void) {
    var list = stages
    change(&list[Int(id)])
    setStages(list)
  }

  /// Stores edited lists, each stage of `pipeline` at its new position.
  private mutating func commit(_ list: [Stage], _ all: [Pipeline], reordering pipeline: UInt16) {
    var list = list
    for (position, stage) in all[Int(pipeline)].stages.enumerated() { list[Int(stage)].position = position }
    setStages(list)
    setPipelines(all)
  }

  /// The stages of a pipeline of one kind, in order.
  public func stages(of pipeline: UInt16, kind: DealStatus) -> [UInt16] {
    pipelines[Int(pipeline)].stages.filter { status(of: $0) == kind }
  }
}
