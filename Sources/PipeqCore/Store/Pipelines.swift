/// The pipelines and their ordered stages.
///
/// Every (pipeline, stage) pair has a small global id so a deal's stage is one
/// 16-bit column, and a stage test is a lookup in a table indexed by that id.
/// A pipeline's stages are ordered with the open stages first, then won, then lost.
public struct Pipelines: Sendable, Equatable {
  public struct Pipeline: Sendable, Equatable {
    public var name: String
    /// Global stage ids, in stage order.
    public var stages: [UInt16]
  }

  public struct Stage: Sendable, Equatable {
    public var name: String
    public var pipeline: UInt16
    public var position: Int
  }

  public private(set) var pipelines: [Pipeline] = []
  public private(set) var stages: [Stage] = []
  /// Each stage's status, kept beside the stages so scans never case-fold a name.
  private var statuses: [DealStatus] = []

  public static let defaultStages = ["lead", "contacted", "qualified", "proposal", "won", "lost"]

  /// A catalog with the default `sales` pipeline.
  public static var standard: Pipelines {
    var catalog = Pipelines()
    _ = catalog.addPipeline(named: "sales", stages: defaultStages)
    return catalog
  }

  public init() {}

  mutating func setPipelines(_ list: [Pipeline]) { pipelines = list }
  mutating func setStages(_ list: [Stage]) {
    stages = list
    statuses = list.map { Pipelines.status(named: $0.name) }
  }

  public func pipeline(named name: String) -> UInt16? {
    let key = name.folded
    return pipelines.firstIndex { $0.name.folded == key }.map { UInt16($0) }
  }

  /// The stage id of `name` within `pipeline`.
  public func stage(named name: String, in pipeline: UInt16) -> UInt16? {
    let key = name.folded
    return pipelines[Int(pipeline)].stages.first { stages[Int($0)].name.folded == key }
  }

  /// Every stage id named `name`, across pipelines.
  public func stageIDs(named name: String) -> [UInt16] {
    let key = name.folded
    return stages.indices.filter { stages[$0].name.folded == key }.map { UInt16($0) }
  }

  public var stageNames: [String] {
    var seen = Set<String>()
    return stages.map(\.name).filter { seen.insert($0.folded).inserted }
  }

  public func status(of stage: UInt16) -> DealStatus { statuses[Int(stage)] }

  private static func status(named name: String) -> DealStatus {
    switch name.folded {
    case "won": return .won
    case "lost": return .lost
    default: return .open
    }
  }

  public func pipelineName(of stage: UInt16) -> String {
    pipelines[Int(stages[Int(stage)].pipeline)].name
  }

  /// Adds a pipeline; `won` and `lost` are appended when the list lacks them.
  public mutating func addPipeline(named name: String, stages names: [String]) -> UInt16 {
    let index = UInt16(pipelines.count)
    pipelines.append(Pipeline(name: name, stages: []))
    var open = names.filter { !["won", "lost"].contains($0.folded) }
    if open.isEmpty { open = ["lead"] }
    for stage in open + ["won", "lost"] { _ = addStage(named: stage, to: index) }
    return index
  }

  /// Adds an open stage to a pipeline, before won and lost.
  @discardableResult
  public mutating func addStage(named name: String, to pipeline: UInt16) -> UInt16 {
    if let existing = stage(named: name, in: pipeline) { return existing }
    let id = UInt16(stages.count)
    var list = pipelines[Int(pipeline)].stages
    let closing = list.firstIndex { ["won", "lost"].contains(stages[Int($0)].name.folded) }
    let isClosing = ["won", "lost"].contains(name.folded)
    let insertAt = isClosing ? list.count : (closing ?? list.count)
    stages.append(Stage(name: name, pipeline: pipeline, position: 0))
    statuses.append(Pipelines.status(named: name))
    list.insert(id, at: insertAt)
    pipelines[Int(pipeline)].stages = list
    for (position, stageID) in list.enumerated() { stages[Int(stageID)].position = position }
    return id
  }

  /// The stage ids of a pipeline's won or lost stage.
  public func closingStage(_ status: DealStatus, in pipeline: UInt16) -> UInt16? {
    pipelines[Int(pipeline)].stages.last { statuses[Int($0)] == status }
  }
}

public enum DealStatus: String, Sendable { case open, won, lost }
