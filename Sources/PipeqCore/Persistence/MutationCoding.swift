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

  mutating func deal(_ deal: Deal) {
    for field in Field.stored { value(deal[field]) }
  }

  mutating func pipelines(_ catalog: Pipelines) {
    u32(UInt32(catalog.pipelines.count))
    for pipeline in catalog.pipelines {
      string(pipeline.name)
      strings(pipeline.stages.map { catalog.stages[Int($0)].name })
    }
    strings(catalog.stages.map { "\($0.pipeline):\($0.name)" })
  }

  mutating func mutation(_ mutation: Mutation) {
    string(mutation.statement)
    u32(UInt32(bitPattern: mutation.today.number))
    u64(UInt64(mutation.edits.count))
    for edit in mutation.edits {
      i64(edit.id)
      string(edit.field.rawValue)
      value(edit.before)
      value(edit.after)
    }
    u64(UInt64(mutation.inserts.count))
    for insert in mutation.inserts { deal(insert) }
    u64(UInt64(mutation.deletes.count))
    for delete in mutation.deletes { deal(delete) }
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

  mutating func pipelines() throws(Malformed) -> Pipelines {
    let start = offset
    do {
      return try Pipelines.decode(&self)
    } catch let error as Malformed {
      throw error
    } catch {
      throw Malformed(offset: start, what: "pipelines")
    }
  }

  mutating func mutation() throws(Malformed) -> Mutation {
    let statement = try string("statement")
    let today = Day(number: Int32(bitPattern: try u32("today")))
    var mutation = Mutation(statement: statement, today: today)
    let edits = try u64("edit count")
    guard edits <= UInt64(end - offset) / 11 else { throw Malformed(offset: offset, what: "edit count") }
    mutation.edits.reserveCapacity(Int(edits))
    for _ in 0..<edits {
      let id = try i64("id")
      let name = try string("field")
      guard let field = Field(rawValue: name), !field.isDerived else { throw Malformed(offset: offset, what: "field") }
      mutation.edits.append(.init(id: id, field: field, before: try value(), after: try value()))
    }
    let inserts = try u64("insert count")
    guard inserts <= UInt64(end - offset) / 17 else { throw Malformed(offset: offset, what: "insert count") }
    for _ in 0..<inserts { mutation.inserts.append(try deal()) }
    let deletes = try u64("delete count")
    guard deletes <= UInt64(end - offset) / 17 else { throw Malformed(offset: offset, what: "delete count") }
    for _ in 0..<deletes { mutation.deletes.append(try deal()) }
    if try u8("catalog flag") == 1 { mutation.pipelines = try pipelines() }
    let definitions = try u64("definition count")
    guard definitions <= UInt64(end - offset) / 6 else { throw Malformed(offset: offset, what: "definition count") }
    for _ in 0..<definitions {
      mutation.definitionEdits.append(
        .init(name: try string("name"), before: try optionalString(), after: try optionalString()))
    }
    return mutation
  }

  mutating func optionalString() throws(Malformed) -> String? {
    switch try u8("text flag") {
    case 0: return nil
    case 1: return try string("text")
    default: throw Malformed(offset: offset - 1, what: "text flag")
    }
  }
}
