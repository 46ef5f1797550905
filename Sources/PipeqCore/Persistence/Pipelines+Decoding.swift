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
