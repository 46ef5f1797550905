extension ValueColumn {
  /// The current values of `field` for `rows`, read straight from the table's column.
  public init(capturing field: Field, rows: [Int], from table: DealTable) {
    if let column = table.capture(field, rows: rows) {
      self = column
    } else {
      switch field.kind {
      case .stage:
        let stages = table.stage
        let catalog = table.pipelines.stages
        self.init(remapping: rows, count: catalog.count, { Int(stages[$0]) }) { .text(catalog[$0].name) }
      case .pipeline:
        let stages = table.stage
        let catalog = table.pipelines
        self.init(remapping: rows, count: catalog.stages.count, { Int(stages[$0]) }) {
          .text(catalog.pipelineName(of: UInt16($0)))
        }
      case .tags:
        let tags = table.tags
        self.init(remapping: rows, count: tags.sets.count, { Int(tags.codes[$0]) }) { code in
          tags.sets[code].isEmpty ? .empty : .tags(tags.sets[code].map { tags.names[$0] })
        }
      case .money:
        let money = table.value
        self.init(hashing: rows, { money[$0] }) { $0 == DealTable.emptyMoney ? .empty : .money($0) }
      default:
        preconditionFailure("\(field) is not a stored field")
      }
    }
  }
}

extension DealTable {
  /// Writes a change set's `after` values. Each distinct value is resolved once (a
  /// text interned, a stage looked up in each pipeline), then every deal is a store.
  mutating func apply(_ changes: ChangeSet) {
    guard !changes.isEmpty else { return }
    apply(changes, rows: rows(ofAscending: changes.ids))
  }

  /// Applies a change set whose deals are in `rows` (found once by the caller).
  mutating func apply(_ changes: ChangeSet, rows: [Int]) {
    guard !changes.isEmpty else { return }
    for change in changes.fields where !applyRecordColumn(change, rows: rows) {
      let after = change.after
      let codes = after.codes.isEmpty ? [UInt32](repeating: 0, count: rows.count) : after.codes
      switch change.field {
      case .value:
        let mapped = after.values.map { value -> Int64 in
          if case .money(let cents) = value { return cents }
          return DealTable.emptyMoney
        }
        for (position, row) in rows.enumerated() { value[row] = mapped[Int(codes[position])] }
      case .tags:
        let mapped = after.values.map { value -> UInt32 in
          if case .tags(let list) = value { return tags.code(for: list) }
          return 0
        }
        for (position, row) in rows.enumerated() { tags.codes[row] = mapped[Int(codes[position])] }
      case .stage:
        let moving = changes.fields.first { $0.field == .pipeline }?.after
        applyStages(after, codes: codes, rows: rows, pipelines: moving)
      case .pipeline:
        // Read with the stage: a deal's pipeline is its stage's.
        continue
      default:
        preconditionFailure("\(change.field) is not writable")
      }
    }
  }

  /// A stage is named within the deal's own pipeline, or within the pipeline the same
  /// change moves it to (`moving`): each (value, pipeline) pair is resolved once.
  private mutating func applyStages(_ after: ValueColumn, codes: [UInt32], rows: [Int], pipelines moving: ValueColumn?)
  {
    let pipelineCount = pipelines.pipelines.count
    var resolved = [Int32](repeating: -1, count: after.values.count * pipelineCount)
    let movingTo = moving.map { column in column.values.map { pipelines.pipeline(named: $0.text)! } }
    for (position, row) in rows.enumerated() {
      let code = Int(codes[position])
      let pipeline = movingTo.map { $0[Int(moving!.code(at: position))] } ?? pipelines.stages[Int(stage[row])].pipeline
      let slot = code * pipelineCount + Int(pipeline)
      if resolved[slot] < 0 {
        resolved[slot] = Int32(pipelines.stage(named: after.values[code].text, in: pipeline)!)
      }
      stage[row] = UInt16(resolved[slot])
    }
  }
}
