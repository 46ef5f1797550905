/// A statement that shapes the pipelines: their stages, order, kinds and settings.
public enum PipelineChange: Sendable, Equatable {
  /// `create pipeline partners stages (intro, demo, negotiation, won, lost)`
  case createPipeline(Name, stages: [Name])
  /// `rename pipeline A to B`
  case renamePipeline(Name, to: Name)
  /// `remove pipeline A`: refused while it has deals.
  case removePipeline(Name)
  /// `add stage fridge after lost in sales`
  case addStage(Name, place: StagePlace?, pipeline: Name?)
  /// `rename stage negotiation to "contract sent" in partners`
  case renameStage(Name, to: Name, pipeline: Name?)
  /// `move stage demo before intro in partners`
  case moveStage(Name, place: StagePlace, pipeline: Name?)
  /// `remove stage demo in partners [into intro]`
  case removeStage(Name, pipeline: Name?, into: Name?)
  /// `set stage fridge kind parked`, `set stage proposal probability 60%`, `set stage
  /// proposal rotting 14d` (`in PIPELINE`: that pipeline's stage only).
  case setStage(Name, StageSetting, pipeline: Name?)
}

/// Where a stage goes: just before or just after another of its pipeline.
public struct StagePlace: Sendable, Equatable {
  public var after: Bool
  public var stage: Name
}

/// What `set stage` sets, as written.
public enum StageSetting: Sendable, Equatable {
  case kind(Name)
  /// A percentage (`60%`), or `none` for the default.
  case probability(Name)
  /// Days (`14d`), or `none` for the default.
  case rotting(Name)
}
