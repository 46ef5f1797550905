/// What an import reads from a file beyond the template's columns: the file's own
/// header and stage names (for writing changes back to the CRM), the days it says
/// deals entered stages or last changed (for stage history), and a probability per
/// stage (for the order of a new pipeline's stages).
struct FileFacts {
  /// A deal as the file names it: its id, or its external id when the file has them.
  typealias Key = String

  /// A day the file says a deal entered a stage (of a pipeline, when it names one).
  struct Entered {
    var stage: String
    var pipeline: String?
    var day: Day
  }

  var columns: [ImportSource.Column] = []
  var stageLabels: [ImportSource.StageLabel] = []
  var entered: [Key: [Entered]] = [:]
  var modified: [Key: Day] = [:]
  /// The median probability the file gives each stage it uses.
  var probabilities: [ImportedStages.Key: Double] = [:]

  /// The probabilities by (pipeline, stage), under `defaultPipeline` when the file
  /// named no pipeline.
  func probabilities(defaultPipeline: String) -> [ImportedStages.Key: Double] {
    var found: [ImportedStages.Key: Double] = [:]
    for (key, chance) in probabilities {
      found[.init(pipeline: key.pipeline.isEmpty ? defaultPipeline.folded : key.pipeline, stage: key.stage)] = chance
    }
    return found
  }

  static func key(id: Int64?, externalID: String?) -> Key? {
    if let externalID, !externalID.isEmpty { return "x:" + externalID }
    return id.map { "i:\($0)" }
  }

  /// The source the import records for its deals, stage labels under `defaultPipeline`
  /// when the file named no pipeline.
  func source(defaultPipeline: String) -> ImportSource {
    var seen = Set<ImportedStages.Key>()
    var labels: [ImportSource.StageLabel] = []
    for var label in stageLabels {
      if label.pipeline.isEmpty { label.pipeline = defaultPipeline }
      guard seen.insert(.init(pipeline: label.pipeline.folded, stage: label.stage.folded)).inserted else { continue }
      labels.append(label)
    }
    return ImportSource(columns: columns, stageLabels: labels)
  }
}

extension CanonicalCSV.Rewrite {
  /// The file's header per field, stage dates, modified days and probabilities.
  mutating func readFacts(_ order: DateColumn.Order?) throws(DiagnosticError) {
    readSourceColumns()
    let keys = records.indices.map { record in
      FileFacts.key(
        id: values[.id].flatMap { Int64($0[record]) }, externalID: values[.externalID]?[record])
    }
    for (index, column) in columns.enumerated() {
      switch column.role {
      case .entered(let stage, let pipeline):
        for (record, day) in try days(ofColumn: index, order).enumerated() {
          guard let day, let key = keys[record] else { continue }
          facts.entered[key, default: []].append(.init(stage: stage, pipeline: pipeline, day: day))
        }
      case .modified:
        for (record, day) in try days(ofColumn: index, order).enumerated() {
          if let day, let key = keys[record] { facts.modified[key] = day }
        }
      case .probability:
        readProbabilities(index)
      default:
        continue
      }
    }
  }

  /// Each field's column as the file names it; a closing day filled from the close date
  /// goes back under that column, and ids kept as external ids under the id column.
  private mutating func readSourceColumns() {
    for column in columns {
      guard case .field(var field) = column.role, !column.name.isEmpty else { continue }
      if field == .id && values[.id] == nil { field = .externalID }
      guard !facts.columns.contains(where: { $0.field == field }) else { continue }
      facts.columns.append(.init(field: field, header: column.name))
      if field == .expectedClose && filledClosed { facts.columns.append(.init(field: .closed, header: column.name)) }
    }
  }

  private mutating func readProbabilities(_ column: Int) {
    var seen: [ImportedStages.Key: [Double]] = [:]
    for record in records.indices {
      var text = cell(record, column).trimmedFast
      if text.hasSuffix("%") { text.removeLast() }
      guard var number = Double(text.replacingOccurrences(of: ",", with: ".")), number >= 0 else { continue }
      if number > 1 { number /= 100 }
      let pipeline = values[.pipeline]?[record] ?? ""
      let stage = CSVImporter.canonicalStage(values[.stage]?[record] ?? "")
      seen[.init(pipeline: pipeline.folded, stage: stage.folded), default: []].append(number)
    }
    for (key, numbers) in seen { facts.probabilities[key] = numbers.sorted()[numbers.count / 2] }
  }
}
