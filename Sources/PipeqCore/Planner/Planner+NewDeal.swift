import Foundation

/// `add deal`: the new deal worked out whole, each value checked as `set` checks it.
extension Planner {
  mutating func newDeal(_ statement: AddDealStatement) throws(DiagnosticError) -> Deal {
    var deal = Deal(id: table.nextID)
    deal[text: .name] = statement.name.text
    var stageName: Name?
    var given = Set<Field>()
    for assignment in statement.fields {
      let target = try field(assignment.field)
      guard given.insert(target).inserted else {
        throw error("\(target.rawValue) is given twice", assignment.field.span)
      }
      switch target {
      case .stage: stageName = try word(assignment.value, "a stage name")
      case .tags: deal.tags = TagList.split(try word(assignment.value, "tags, as in tags \"priority;emea\"").text)
      default:
        guard target.isSettable, target != .name else {
          let help = target == .pipeline ? "put the deal in a pipeline with in PIPELINE" : Planner.settableHelp(target)
          throw error("a new deal's \(target.rawValue) cannot be given", assignment.field.span, help: help)
        }
        deal[target] = try constant(assignment.value, for: target)
      }
    }
    let catalog = table.pipelines
    let home = try newDealPipeline(statement, stage: stageName)
    let stages = catalog.pipelines[Int(home)].stages
    let stage: UInt16
    if let stageName {
      stage = try self.stage(stageName, in: home)
    } else {
      stage = stages.first { catalog.status(of: $0) == .open } ?? stages[0]
    }
    let pipeline = home
    deal.pipeline = catalog.pipelines[Int(pipeline)].name
    deal.stage = catalog.stages[Int(stage)].name
    if deal[date: .created] == nil { deal[date: .created] = today }
    deal[date: .stageEntered] = today
    if catalog.status(of: stage) != .open, deal[date: .closed] == nil { deal[date: .closed] = today }
    if deal[text: .currency].isEmpty, let base = table.settings.baseCurrency { deal[text: .currency] = base }
    return deal
  }

  /// The pipeline named with `in`, else the one pipeline that has the stage, else the first.
  private func newDealPipeline(_ statement: AddDealStatement, stage: Name?) throws(DiagnosticError) -> UInt16 {
    if let name = statement.pipeline { return try pipeline(name) }
    guard let stage else { return 0 }
    let catalog = table.pipelines
    var holders: [UInt16] = []
    for id in catalog.stageIDs(named: stage.text) where !holders.contains(catalog.stages[Int(id)].pipeline) {
      holders.append(catalog.stages[Int(id)].pipeline)
    }
    guard !holders.isEmpty else { throw unknownStage(stage) }
    guard holders.count == 1 else {
      let names = holders.map { catalog.pipelines[Int($0)].name }
      throw error(
        "stage '\(stage.text)' is in \(names.count) pipelines (\(names.joined(separator: ", "))): which one?",
        stage.span, help: "add in \(names[0]) (or in \(names[1]))")
    }
    return holders[0]
  }

  /// A stage of one pipeline, or an error listing that pipeline's stages.
  func stage(_ name: Name, in pipeline: UInt16) throws(DiagnosticError) -> UInt16 {
    let catalog = table.pipelines
    if let id = catalog.stage(named: name.text, in: pipeline) { return id }
    let stages = catalog.pipelines[Int(pipeline)].stages.map { catalog.stages[Int($0)].name }
    let hint = Suggestion.nearest(to: name.text, in: stages).map { "did you mean '\($0)'?" }
    throw error(
      "pipeline '\(catalog.pipelines[Int(pipeline)].name)' has no stage '\(name.text)'", name.span,
      help: hint ?? "its stages: \(stages.joined(separator: ", "))")
  }

  /// A bare word or quoted text.
  private func word(_ value: ValueExpr, _ what: String) throws(DiagnosticError) -> Name {
    switch value {
    case .word(let text, let span), .text(let text, let span): return Name(text, span)
    default: throw error("expected \(what)", value.span)
    }
  }

  /// A value for a new deal's field: a literal of the field's kind (no other field to
  /// read it from), numbers in money fields as exact cents.
  private func constant(_ value: ValueExpr, for field: Field) throws(DiagnosticError) -> Value {
    let plan = try valuePlan(value, for: field)
    guard let result = Planner.folded(plan) else {
      if case .field(let other) = plan {
        throw error(
          "a new deal has no \(other.rawValue) to take \(field.rawValue) from", value.span,
          help: "quote it to mean the text: '\(other.rawValue)'")
      }
      throw error("\(field.rawValue) takes a value here, within \(Day.range) for dates", value.span)
    }
    guard field.kind == .money, case .number(let number) = result else { return result }
    guard let cents = Money.cents(Decimal(string: "\(number)") ?? Decimal(number)) else {
      throw error("\(number) is out of range for \(field.rawValue)", value.span)
    }
    return .money(cents)
  }

  /// A value plan without fields worked out: `today + 30d`, `12k * 2`; nil when it reads
  /// a field or its date leaves the years pipeq keeps.
  static func folded(_ plan: ValuePlan) -> Value? {
    switch plan {
    case .constant(let value): return value
    case .field, .duration: return nil
    case .negate(let inner):
      guard case .number(let number)? = folded(inner) else { return nil }
      return .number(-number)
    case .arithmetic(let op, let a, let b):
      if case .duration(let duration) = b, case .date(let day)? = folded(a) {
        return duration.subtracted(from: day, sign: op == .add ? 1 : -1).map(Value.date)
      }
      if case .duration(let duration) = a, op == .add, case .date(let day)? = folded(b) {
        return duration.subtracted(from: day, sign: 1).map(Value.date)
      }
      guard case .number(let x)? = folded(a), case .number(let y)? = folded(b) else { return nil }
      switch op {
      case .add: return .number(x + y)
      case .subtract: return .number(x - y)
      case .multiply: return .number(x * y)
      case .divide: return y == 0 ? nil : .number(x / y)
      }
    }
  }
}
