/// What the store can offer Tab completion: the few-valued fields' values, pipelines,
/// stages and saved queries by kind. Built here, from the declaration and the columns,
/// so the interactive layer never reads the table's columns.
public struct CompletionVocabulary: Sendable {
  public var values: [Field: [String]]
  public var pipelines: [String]
  public var stages: [String]
  /// Saved filters (offered after `where`) and saved statements (offered at the start).
  public var savedFilters: [String] = []
  public var savedStatements: [String] = []

  public init(table: DealTable) {
    stages = table.pipelines.stageNames
    pipelines = table.pipelines.livePipelineIDs.map { table.pipelines.pipelines[Int($0)].name }
    var values: [Field: [String]] = [:]
    for field in Field.storedText where field.completesValues {
      let strings = table.textColumn(field).dictionary.strings
      values[field] = strings.filter { !$0.isEmpty }.sorted()
    }
    values[.tags] = table.tags.names.strings.filter { !$0.isEmpty }.sorted()
    values[.status] = ["open", "won", "lost"]
    self.values = values
    for (name, query) in table.savedQueries.sorted(by: { $0.key < $1.key }) {
      if query.kind == .statement { savedStatements.append(name) } else { savedFilters.append(name) }
    }
  }

  public init(values: [Field: [String]] = [:], pipelines: [String] = [], stages: [String] = []) {
    self.values = values
    self.pipelines = pipelines
    self.stages = stages
  }
}
