/// The pipelines and their ordered stages.
///
/// Every (pipeline, stage) pair has a small global id so a deal's stage is one
/// 16-bit column, and a stage test is a lookup in a table indexed by that id. Ids are
/// never reused or renumbered: a removed stage or pipeline stays in the lists, marked
/// removed and out of every lookup, so the stage column and the stage history keep
/// meaning what they meant.
public struct Pipelines: Sendable, Equatable {
  public struct Pipeline: Sendable, Equatable {
    public var name: String
    /// Global stage ids, in stage order (removed stages are not in it).
    public var stages: [UInt16]
    public var isRemoved = false
  }

  public struct Stage: Sendable, Equatable {
    public var name: String
    public var pipeline: UInt16
    public var position: Int
    /// What a deal in it is: open, won, lost or parked. Kept, not read from the name, so
    /// a renamed won stage stays won.
    public var kind: DealStatus
    /// The stage's own win probability (0…1) and rotting days, when set for it.
    public var probability: Double?
    public var rottingDays: Int?
    public var isRemoved = false

    public init(name: String, pipeline: UInt16, position: Int, kind: DealStatus) {
      self.name = name
      self.pipeline = pipeline
      self.position = position
      self.kind = kind
    }
  }

  public private(set) var pipelines: [Pipeline] = []
  public private(set) var stages: [Stage] = []
  /// Each stage's status, kept beside the stages so scans never case-fold a name.
  private var statuses: [DealStatus] = []
  /// Ids by folded name, so finding a pipeline or a stage never folds every name again
  /// (an import with thousands of stages would otherwise be quadratic). Derived from the
  /// lists above.
  private var pipelineIDs: [String: UInt16] = [:]
  private var stageIDsByName: [String: [UInt16]] = [:]

  public static let defaultStages = ["lead", "contacted", "qualified", "proposal", "won", "lost"]

  /// A catalog with the default `sales` pipeline.
  public static var standard: Pipelines {
    var catalog = Pipelines()
    _ = catalog.addPipeline(named: "sales", stages: defaultStages)
    return catalog
  }

  public init() {}

  mutating func setPipelines(_ list: [Pipeline]) {
    pipelines = list
    pipelineIDs = [:]
    for (index, pipeline) in list.enumerated() where !pipeline.isRemoved && pipelineIDs[pipeline.name.folded] == nil {
      pipelineIDs[pipeline.name.folded] = UInt16(index)
    }
  }

  mutating func setStages(_ list: [Stage]) {
    stages = list
    statuses = list.map(\.kind)
    stageIDsByName = [:]
    for (index, stage) in list.enumerated() where !stage.isRemoved {
      stageIDsByName[stage.name.folded, default: []].append(UInt16(index))
    }
  }

  /// The first pipeline not removed: where a deal goes when nothing names one.
  public var firstLive: Pipeline? { pipelines.first { !$0.isRemoved } }

  /// The pipelines that are not removed, in creation order.
  public var livePipelineIDs: [UInt16] { pipelines.indices.filter { !pipelines[$0].isRemoved }.map(UInt16.init) }

  public func pipeline(named name: String) -> UInt16? { pipelineIDs[name.folded] }

  /// The stage id of `name` within `pipeline`.
  public func stage(named name: String, in pipeline: UInt16) -> UInt16? {
    stageIDsByName[name.folded]?.first { stages[Int($0)].pipeline == pipeline }
  }

  /// Every stage id named `name`, across pipelines.
  public func stageIDs(named name: String) -> [UInt16] { stageIDsByName[name.folded] ?? [] }

  /// The names of the stages there are, each once.
  public var stageNames: [String] {
    var seen = Set<String>()
    return stages.filter { !$0.isRemoved }.map(\.name).filter { seen.insert($0.folded).inserted }
  }

  public func status(of stage: UInt16) -> DealStatus { statuses[Int(stage)] }

  /// The kind a new stage of this name gets: won, lost, or open.
  static func status(named name: String) -> DealStatus {
    switch name.folded {
    case "won": return .won
    case "lost": return .lost
    default: return .open
    }
  }

  public func pipelineName(of stage: UInt16) -> String {
    pipelines[Int(stages[Int(stage)].pipeline)].name
  }

  /// Adds a pipeline; `won` and `lost` are appended when the list lacks them. No open
  /// stage is made up: a pipeline whose deals are all closed has none.
  public mutating func addPipeline(named name: String, stages names: [String]) -> UInt16 {
    let index = UInt16(pipelines.count)
    pipelines.append(Pipeline(name: name, stages: []))
    if pipelineIDs[name.folded] == nil { pipelineIDs[name.folded] = index }
    let open = names.filter { Pipelines.status(named: $0) == .open }
    for stage in open + ["won", "lost"] { _ = addStage(named: stage, to: index) }
    return index
  }

  /// The status a stage of this name has (won, lost, or open).
  func status(ofStageNamed name: String) -> DealStatus { Pipelines.status(named: name) }

  /// Adds an open stage to a pipeline, before won and lost.
  @discardableResult
  public mutating func addStage(named name: String, to pipeline: UInt16) -> UInt16 {
    if let existing = stage(named: name, in: pipeline) { return existing }
    let id = UInt16(stages.count)
    var list = pipelines[Int(pipeline)].stages
    // Won and lost come last: an open stage goes before them, found from the end so that
    // adding thousands of stages stays linear.
    var insertAt = list.count
    if Pipelines.status(named: name) == .open {
      while insertAt > 0, statuses[Int(list[insertAt - 1])] != .open { insertAt -= 1 }
    }
    stages.append(Stage(name: name, pipeline: pipeline, position: 0, kind: Pipelines.status(named: name)))
    statuses.append(Pipelines.status(named: name))
    stageIDsByName[name.folded, default: []].append(id)
    list.insert(id, at: insertAt)
    pipelines[Int(pipeline)].stages = list
    for position in insertAt..<list.count { stages[Int(list[position])].position = position }
    return id
  }

  /// The stage ids of a pipeline's won or lost stage.
  public func closingStage(_ status: DealStatus, in pipeline: UInt16) -> UInt16? {
    pipelines[Int(pipeline)].stages.last { statuses[Int($0)] == status }
  }
}

/// What a deal is, by the kind of its stage. A parked deal (the "fridge") is out of the
/// open pipeline and out of win rates until it is moved back.
public enum DealStatus: String, Sendable, CaseIterable { case open, won, lost, parked }
