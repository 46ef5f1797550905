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
    list.append(Stage(name: name, pipeline: pipeline, position: 0, kind: Pipelines.status(named: name)))
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

extension Pipelines {
  /// Reads the catalog written by `ByteWriter.pipelines`, rebuilding stage ids in their
  /// original order.
  static func decode(_ reader: inout ByteReader) throws -> Pipelines {
    let count = try reader.u32("pipeline count")
    var lists: [(String, [String])] = []
    for _ in 0..<count {
      lists.append((try reader.string("pipeline"), try reader.strings("stages")))
    }
    let order = try reader.strings("stage order")
    // Rebuild in creation order so stage ids match the stage column.
    var catalog = Pipelines()
    var created = Set<Int>()
    for entry in order {
      guard let colon = entry.firstIndex(of: ":"), let index = Int(entry[..<colon]), index < lists.count else {
        throw ByteReader.Malformed(offset: reader.offset, what: "stage order")
      }
      if !created.contains(index) {
        guard index == catalog.pipelines.count else {
          throw ByteReader.Malformed(offset: reader.offset, what: "pipeline order")
        }
        _ = catalog.addPipelineShell(named: lists[index].0)
        created.insert(index)
      }
      catalog.appendStage(named: String(entry[entry.index(after: colon)...]), to: UInt16(index))
    }
    for (index, list) in lists.enumerated() {
      guard index < catalog.pipelines.count else {
        throw ByteReader.Malformed(offset: reader.offset, what: "empty pipeline")
      }
      try catalog.reorder(pipeline: UInt16(index), as: list.1)
    }
    return catalog
  }
}

extension Pipelines {
  /// Reads the catalog `ByteWriter.pipelines` writes: stages by id with their kinds and
  /// settings, then pipelines with their stage order. Every live stage must be in its
  /// live pipeline's order exactly once, and nothing removed in it.
  static func decodeWithKinds(_ reader: inout ByteReader) throws -> Pipelines {
    let start = reader.offset
    let stageCount = try reader.u32("stage count")
    guard stageCount <= UInt32(UInt16.max) + 1, stageCount <= UInt32(reader.end - reader.offset) else {
      throw ByteReader.Malformed(offset: start, what: "stage count")
    }
    var stages: [Stage] = []
    for _ in 0..<stageCount {
      let pipeline = try reader.u16("stage pipeline")
      let name = try reader.string("stage name")
      let kind = try reader.u8("stage kind")
      guard Int(kind) < DealStatus.allCases.count else {
        throw ByteReader.Malformed(offset: reader.offset, what: "stage kind")
      }
      var stage = Stage(name: name, pipeline: pipeline, position: -1, kind: DealStatus.allCases[Int(kind)])
      stage.isRemoved = try reader.u8("stage removed") == 1
      if try reader.u8("probability flag") == 1 {
        let probability = Double(bitPattern: try reader.u64("probability"))
        guard (0...1).contains(probability) else {
          throw ByteReader.Malformed(offset: reader.offset, what: "probability")
        }
        stage.probability = probability
      }
      if try reader.u8("rotting flag") == 1 { stage.rottingDays = Int(try reader.u32("rotting days")) }
      stages.append(stage)
    }
    let pipelineCount = try reader.u32("pipeline count")
    guard pipelineCount <= stageCount else { throw ByteReader.Malformed(offset: reader.offset, what: "pipeline count") }
    var pipelines: [Pipeline] = []
    var placed = [Bool](repeating: false, count: stages.count)
    for index in 0..<Int(pipelineCount) {
      let name = try reader.string("pipeline name")
      let removed = try reader.u8("pipeline removed") == 1
      let order = try reader.array(UInt16.self, "pipeline stages")
      for (position, id) in order.enumerated() {
        guard Int(id) < stages.count, !placed[Int(id)], stages[Int(id)].pipeline == index, !stages[Int(id)].isRemoved
        else { throw ByteReader.Malformed(offset: reader.offset, what: "pipeline stages") }
        placed[Int(id)] = true
        stages[Int(id)].position = position
      }
      pipelines.append(Pipeline(name: name, stages: order, isRemoved: removed))
    }
    for (id, stage) in stages.enumerated() where !stage.isRemoved {
      guard Int(stage.pipeline) < pipelines.count, placed[id], !pipelines[Int(stage.pipeline)].isRemoved else {
        throw ByteReader.Malformed(offset: reader.offset, what: "stage \(stage.name) has no place")
      }
    }
    var catalog = Pipelines()
    catalog.setStages(stages)
    catalog.setPipelines(pipelines)
    return catalog
  }
}
