/// Moving whole deals between tables, column by column: a bulk delete keeps the deals it
/// removes as a small table, an import arrives as one, and undo puts them back. Text is
/// re-coded once per distinct string, never once per deal.
extension DealTable {
  /// A table of just these rows (ascending), its dictionaries holding only what they use.
  public func subset(_ rows: [Int]) -> DealTable {
    var part = DealTable()
    part.pipelines = pipelines
    copyRecordColumns(rows, into: &part)
    var tagSets = [UInt32](repeating: .max, count: tags.sets.count)
    for row in rows {
      let code = Int(tags.codes[row])
      if tagSets[code] == .max { tagSets[code] = part.tags.code(for: tags.tags(at: row)) }
      part.tags.codes.append(tagSets[code])
    }
    part.stage = rows.map { stage[$0] }
    part.value = rows.map { value[$0] }
    return part
  }

  /// Appends the deals of `other` (ids not in this table), then restores id order.
  /// Their stages must exist here by pipeline and stage name.
  mutating func append(contentsOf other: DealTable) {
    guard other.count > 0 else { return }
    if count == 0 && other.pipelines == pipelines {
      // Into an empty table (a first import): take the columns as they are.
      let definitions = self.definitions
      let history = self.history
      self = other
      self.definitions = definitions
      self.history = history
      sortByID()
      return
    }
    appendRecordColumns(of: other)
    let tagSets = other.tags.sets.map { set in tags.code(for: set.map { other.tags.names[$0] }) }
    tags.codes += other.tags.codes.map { tagSets[Int($0)] }
    let stageIDs = other.pipelines.stages.map { info in
      pipelines.stage(
        named: info.name, in: pipelines.pipeline(named: other.pipelines.pipelines[Int(info.pipeline)].name)!)
    }
    stage += other.stage.map { stageIDs[Int($0)]! }
    value += other.value
    sortByID()
  }

  /// Drops the deals with these ids.
  mutating func remove(ids gone: [Int64]) {
    guard !gone.isEmpty else { return }
    let doomed = Set(gone)
    let current = ids
    retainRows { !doomed.contains(current[$0]) }
  }
}
