/// The statements that shape pipelines and stages (`PipelineChange`).
extension Parser {
  /// `create pipeline NAME stages (STAGE, …)`
  mutating func parseCreate() throws(DiagnosticError) -> Statement {
    _ = advance()
    _ = try expectKeyword("pipeline")
    let name = try expectName("the new pipeline's name")
    _ = try expectKeyword("stages")
    _ = try expect(.leftParen, "'(' and its stages in order, as in stages (intro, demo, won, lost)")
    var stages: [Name] = []
    repeat { stages.append(try expectName("a stage name")) } while consume(.comma) != nil
    _ = try expect(.rightParen, "')' after the stages")
    return .shape(.createPipeline(name, stages: stages))
  }

  /// `rename pipeline A to B`, `rename stage A to B [in PIPELINE]`
  mutating func parseRename() throws(DiagnosticError) -> Statement {
    _ = advance()
    let isStage = try pipelineOrStage()
    let name = try expectName(isStage ? "the stage to rename" : "the pipeline to rename")
    _ = try expectKeyword("to")
    let newName = try expectName("the new name")
    guard isStage else { return .shape(.renamePipeline(name, to: newName)) }
    return .shape(.renameStage(name, to: newName, pipeline: try parseInPipeline()))
  }

  /// `remove pipeline A`, `remove stage A [in PIPELINE] [into STAGE]`
  mutating func parseRemove() throws(DiagnosticError) -> Statement {
    _ = advance()
    let isStage = try pipelineOrStage()
    let name = try expectName(isStage ? "the stage to remove" : "the pipeline to remove")
    guard isStage else { return .shape(.removePipeline(name)) }
    var pipeline = try parseInPipeline()
    var into: Name?
    if consumeKeyword("into") != nil { into = try expectName("the stage its deals move to") }
    if pipeline == nil { pipeline = try parseInPipeline() }
    return .shape(.removeStage(name, pipeline: pipeline, into: into))
  }

  /// `add stage NAME [before|after STAGE] [in PIPELINE]`, after `add`.
  mutating func parseAddStage() throws(DiagnosticError) -> Statement {
    _ = try expectKeyword("stage")
    let name = try expectName("the new stage's name")
    let place = current.isKeyword("before") || current.isKeyword("after") ? try parsePlace() : nil
    return .shape(.addStage(name, place: place, pipeline: try parseInPipeline()))
  }

  /// `move stage NAME before|after STAGE [in PIPELINE]`, after `move`.
  mutating func parseMoveStage() throws(DiagnosticError) -> Statement {
    _ = try expectKeyword("stage")
    let name = try expectName("the stage to move")
    guard current.isKeyword("before") || current.isKeyword("after") else {
      throw unexpected(expected: "before or after and a stage, as in move stage demo before intro")
    }
    let place = try parsePlace()
    return .shape(.moveStage(name, place: place, pipeline: try parseInPipeline()))
  }

  /// `set stage NAME kind|probability|rotting VALUE [in PIPELINE]`, after `set`.
  mutating func parseSetStage() throws(DiagnosticError) -> Statement {
    _ = try expectKeyword("stage")
    let name = try expectName("a stage")
    let setting: StageSetting
    switch current.keyword {
    case "kind": setting = .kind(try settingValue("open, won, lost or parked"))
    case "probability": setting = .probability(try settingValue("a percentage, as in 60%, or none"))
    case "rotting": setting = .rotting(try settingValue("days, as in 14d, or none"))
    default: throw unexpected(expected: "kind, probability or rotting")
    }
    return .shape(.setStage(name, setting, pipeline: try parseInPipeline()))
  }

  /// Whether `pipeline` (false) or `stage` (true) comes next.
  private mutating func pipelineOrStage() throws(DiagnosticError) -> Bool {
    if consumeKeyword("stage") != nil { return true }
    if consumeKeyword("pipeline") != nil { return false }
    throw unexpected(expected: "pipeline or stage")
  }

  private mutating func parsePlace() throws(DiagnosticError) -> StagePlace {
    let after = advance().isKeyword("after")
    return StagePlace(after: after, stage: try expectName("the stage it goes \(after ? "after" : "before")"))
  }

  /// A trailing `in PIPELINE`.
  private mutating func parseInPipeline() throws(DiagnosticError) -> Name? {
    guard consumeKeyword("in") != nil else { return nil }
    return try expectName("a pipeline after in")
  }

  /// The word after `kind`, `probability` or `rotting`, as written (`parked`, `60%`, `14d`).
  private mutating func settingValue(_ what: String) throws(DiagnosticError) -> Name {
    _ = advance()
    switch current.kind {
    case .word, .number, .duration:
      let token = advance()
      return Name(source.slice(token.span), token.span)
    default:
      throw unexpected(expected: what)
    }
  }
}
