/// Where an import's deals came from: the file's own column names and stage labels,
/// kept with the import's journal record so that `.export changes since` writes the
/// changes back under them and the CRM's own import takes the file.
public struct ImportSource: Sendable, Equatable {
  /// The file's header for a field it filled.
  public struct Column: Sendable, Equatable {
    public var field: Field
    public var header: String
  }

  /// A stage the import named otherwise than the file (`Closed Won` is `won`).
  public struct StageLabel: Sendable, Equatable {
    public var pipeline: String
    public var stage: String
    public var label: String
  }

  /// In the file's column order; one per field (the column the import read).
  public var columns: [Column] = []
  public var stageLabels: [StageLabel] = []

  public init(columns: [Column] = [], stageLabels: [StageLabel] = []) {
    self.columns = columns
    self.stageLabels = stageLabels
  }

  public func header(of field: Field) -> String? { columns.first { $0.field == field }?.header }

  /// The file's name for a stage of a pipeline, when the import renamed it.
  public func label(ofStage stage: String, in pipeline: String) -> String? {
    stageLabels.first { $0.stage.folded == stage.folded && $0.pipeline.folded == pipeline.folded }?.label
  }
}
