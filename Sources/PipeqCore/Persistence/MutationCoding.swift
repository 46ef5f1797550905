/// Binary encoding of what a journal record carries: values, whole deals, the
/// pipeline catalog and mutations.
extension ByteWriter {
  mutating func value(_ value: Value) {
    switch value {
    case .empty: u8(0)
    case .integer(let n):
      u8(1)
      i64(n)
    case .money(let cents):
      u8(2)
      i64(cents)
    case .text(let text):
      u8(3)
      string(text)
    case .date(let day):
      u8(4)
      u32(UInt32(bitPattern: day.number))
    case .days(let days):
      u8(5)
      i64(Int64(days))
    case .tags(let tags):
      u8(6)
      strings(tags)
    case .number(let number):
      u8(7)
      u64(number.bitPattern)
    }
  }

  /// Whole deals, as a table in the snapshot's layout: u64 length, then the snapshot
  /// bytes (length 0 for none).
  mutating func deals(_ table: DealTable) {
    guard table.count > 0 else { return u64(0) }
    let lengthAt = count
    u64(0)
    SnapshotFormat.encode(table, sequence: 0, into: &self)
    patch(u64: UInt64(count - lengthAt - 8), at: lengthAt)
  }

  /// The catalog: every stage in id order (its pipeline, name, kind, whether removed,
  /// its own probability and rotting days), then every pipeline (name, whether removed,
  /// its stage ids in order).
  mutating func pipelines(_ catalog: Pipelines) {
    u32(UInt32(catalog.stages.count))
    for stage in catalog.stages {
      u16(stage.pipeline)
      string(stage.name)
      u8(UInt8(DealStatus.allCases.firstIndex(of: stage.kind)!))
      u8(stage.isRemoved ? 1 : 0)
      if let probability = stage.probability {
        u8(1)
        u64(probability.bitPattern)
      } else {
        u8(0)
      }
      if let days = stage.rottingDays {
        u8(1)
        u32(UInt32(days))
      } else {
        u8(0)
      }
    }
    u32(UInt32(catalog.pipelines.count))
    for pipeline in catalog.pipelines {
      string(pipeline.name)
      u8(pipeline.isRemoved ? 1 : 0)
      array(pipeline.stages)
    }
  }

  mutating func mutation(_ mutation: Mutation) {
    string(mutation.statement)
    u32(UInt32(bitPattern: mutation.today.number))
    changeSets(mutation.changes)
    deals(mutation.inserts)
    deals(mutation.deletes)
    if let catalog = mutation.pipelines {
      u8(1)
      pipelines(catalog)
    } else {
      u8(0)
    }
    u64(UInt64(mutation.definitionEdits.count))
    for edit in mutation.definitionEdits {
      string(edit.name)
      optionalString(edit.before)
      optionalString(edit.after)
    }
    array(mutation.stageEvents.ids)
    array(mutation.stageEvents.from)
    array(mutation.stageEvents.to)
    array(mutation.stageEvents.days)
    if let source = mutation.source {
      u8(1)
      importSource(source)
    } else {
      u8(0)
    }
    if let before = mutation.pipelinesBefore {
      u8(1)
      pipelines(before)
    } else {
      u8(0)
    }
  }

  mutating func importSource(_ source: ImportSource) {
    u32(UInt32(source.columns.count))
    for column in source.columns {
      string(column.field.rawValue)
      string(column.header)
    }
    u32(UInt32(source.stageLabels.count))
    for label in source.stageLabels {
      string(label.pipeline)
      string(label.stage)
      string(label.label)
    }
  }

  /// The distinct values, then a code per deal unless one value covers them all.
  mutating func column(_ column: ValueColumn) {
    u64(UInt64(column.count))
    u64(UInt64(column.values.count))
    for item in column.values { value(item) }
    array(column.codes)
  }

  mutating func optionalString(_ text: String?) {
    if let text {
      u8(1)
      string(text)
    } else {
      u8(0)
    }
  }
}

extension ByteReader {
  mutating func value() throws(Malformed) -> Value {
    switch try u8("value kind") {
    case 0: return .empty
    case 1: return .integer(try i64("integer"))
    case 2: return .money(try i64("money"))
    case 3: return .text(try string("text"))
    case 4: return .date(Day(number: Int32(bitPattern: try u32("date"))))
    case 5: return .days(Int(try i64("days")))
    case 6: return .tags(try strings("tags"))
    case 7: return .number(Double(bitPattern: try u64("number")))
    default: throw Malformed(offset: offset - 1, what: "value kind")
    }
  }

  mutating func deal() throws(Malformed) -> Deal {
    var deal = Deal()
    for field in Field.stored { deal[field] = try value() }
    return deal
  }

  mutating func deals(_ what: String) throws(Malformed) -> DealTable {
    let start = offset
    let length = try u64(what)
    guard length > 0 else { return DealTable() }
    guard length <= UInt64(end - offset) else { throw Malformed(offset: start, what: what) }
    let slice = Array(bytes[offset..<(offset + Int(length))])
    offset += Int(length)
    do {
      return try SnapshotFormat.decodeSnapshot(slice).table
    } catch {
      throw Malformed(offset: start, what: "\(what): \(error)")
    }
  }

  /// Format 1: a count, then each deal as its stored fields' values. The deals' own
  /// pipeline and stage names become the table's catalog.
  mutating func dealsVersion1(_ what: String) throws(Malformed) -> DealTable {
    let count = try u64("\(what) count")
    guard count <= UInt64(end - offset) / 17 else { throw Malformed(offset: offset, what: "\(what) count") }
    var deals: [Deal] = []
    for _ in 0..<count {
      let deal = try deal()
      guard deal.id != nil, !deal.pipeline.isEmpty, !deal.stage.isEmpty else {
        throw Malformed(offset: offset, what: "\(what)ed deal")
      }
      deals.append(deal)
    }
    var table = DealTable()
    table.pipelines = Pipelines()
    for deal in deals {
      let pipeline =
        table.pipelines.pipeline(named: deal.pipeline)
        ?? table.pipelines.addPipeline(named: deal.pipeline, stages: [deal.stage])
      table.pipelines.addStage(named: deal.stage, to: pipeline)
    }
    table.append(deals.sorted { $0.id! < $1.id! })
    return table
  }

  /// A catalog, in its own format (`formatWithKinds` false: the names-only catalog of
  /// snapshots before 4 and journals before 6).
  mutating func pipelines(formatWithKinds: Bool = true) throws(Malformed) -> Pipelines {
    let start = offset
    do {
      return formatWithKinds ? try Pipelines.decodeWithKinds(&self) : try Pipelines.decode(&self)
    } catch let error as Malformed {
      throw error
    } catch {
      throw Malformed(offset: start, what: "pipelines")
    }
  }

  mutating func mutation(version: UInt32 = JournalFormat.version) throws(Malformed) -> Mutation {
    let statement = try string("statement")
    let today = Day(number: Int32(bitPattern: try u32("today")))
    var mutation = Mutation(statement: statement, today: today)
    mutation.changes = version < 2 ? try editsVersion1() : try changeSets(of: Field.self)
    mutation.inserts = version < 2 ? try dealsVersion1("insert") : try deals("inserted deals")
    mutation.deletes = version < 2 ? try dealsVersion1("delete") : try deals("deleted deals")
    if try u8("catalog flag") == 1 { mutation.pipelines = try pipelines(formatWithKinds: version >= 6) }
    let definitions = try u64("definition count")
    guard definitions <= UInt64(end - offset) / 6 else { throw Malformed(offset: offset, what: "definition count") }
    for _ in 0..<definitions {
      mutation.definitionEdits.append(
        .init(name: try string("name"), before: try optionalString(), after: try optionalString()))
    }
    guard version >= 5 else { return mutation }
    mutation.stageEvents = try stageEvents()
    if try u8("source flag") == 1 { mutation.source = try importSource() }
    guard version >= 6 else { return mutation }
    if try u8("catalog before flag") == 1 { mutation.pipelinesBefore = try pipelines() }
    return mutation
  }

  mutating func importSource() throws(Malformed) -> ImportSource {
    var source = ImportSource()
    let columns = try u32("source columns")
    guard columns <= Field.stored.count else { throw Malformed(offset: offset - 4, what: "source columns") }
    for _ in 0..<columns {
      let name = try string("field")
      guard let field = Field(rawValue: name) else { throw Malformed(offset: offset, what: "source field") }
      source.columns.append(.init(field: field, header: try string("header")))
    }
    let labels = try u32("stage labels")
    guard labels <= UInt32(UInt16.max) else { throw Malformed(offset: offset - 4, what: "stage labels") }
    for _ in 0..<labels {
      source.stageLabels.append(
        .init(pipeline: try string("pipeline"), stage: try string("stage"), label: try string("label")))
    }
    return source
  }

  mutating func column(count: Int) throws(Malformed) -> ValueColumn {
    let start = offset
    guard try u64("value count") == UInt64(count) else { throw Malformed(offset: start, what: "column length") }
    let distinct = try u64("distinct values")
    guard distinct <= UInt64(end - offset), distinct <= UInt64(max(count, 1)) else {
      throw Malformed(offset: offset - 8, what: "distinct values")
    }
    var values: [Value] = []
    for _ in 0..<distinct { values.append(try value()) }
    let codesAt = offset
    let codes = try array(UInt32.self, "codes")
    guard codes.isEmpty ? (count == 0 || values.count >= 1) : codes.count == count,
      codes.allSatisfy({ Int($0) < values.count })
    else { throw Malformed(offset: codesAt, what: "codes") }
    return ValueColumn(values: values, codes: codes, count: count)
  }

  /// Format 1: one (id, field, before, after) per edit. Each deal's edits become a
  /// change set row; deals editing the same fields share a set.
  mutating func editsVersion1() throws(Malformed) -> [ChangeSet] {
    let edits = try u64("edit count")
    guard edits <= UInt64(end - offset) / 11 else { throw Malformed(offset: offset, what: "edit count") }
    var byDeal: [(id: Int64, edits: [(Field, Value, Value)])] = []
    for _ in 0..<edits {
      let id = try i64("id")
      let name = try string("field")
      guard let field = Field(rawValue: name), !field.isDerived else { throw Malformed(offset: offset, what: "field") }
      let edit = (field, try value(), try value())
      if byDeal.last?.id == id { byDeal[byDeal.count - 1].edits.append(edit) } else { byDeal.append((id, [edit])) }
    }
    var sets: [[Field]: ChangeSet] = [:]
    var order: [[Field]] = []
    for deal in byDeal.sorted(by: { $0.id < $1.id }) {
      let fields = deal.edits.map(\.0)
      if sets[fields] == nil {
        sets[fields] = ChangeSet(fields: fields)
        order.append(fields)
      }
      guard sets[fields]!.ids.last.map({ $0 < deal.id }) ?? true else {
        throw Malformed(offset: offset, what: "deal \(deal.id) edited twice")
      }
      sets[fields]!.append(id: deal.id, before: deal.edits.map(\.1), after: deal.edits.map(\.2))
    }
    return order.map { sets[$0]! }
  }

  mutating func optionalString() throws(Malformed) -> String? {
    switch try u8("text flag") {
    case 0: return nil
    case 1: return try string("text")
    default: throw Malformed(offset: offset - 1, what: "text flag")
    }
  }
}
