/// One deal as a plain record: what import produces and export consumes. The store
/// itself keeps columns (`DealTable`); this type is for moving whole deals around.
public struct Deal: Sendable, Equatable {
  public var id: Int64?
  public var name = ""
  public var account = ""
  public var contact = ""
  public var owner = ""
  public var pipeline = "sales"
  public var stage = "lead"
  /// Hundredths of the currency unit.
  public var value: Int64?
  public var currency = ""
  public var source = ""
  public var lostReason = ""
  public var externalID = ""
  public var tags: [String] = []
  public var created: Day?
  public var stageEntered: Day?
  public var expectedClose: Day?
  public var closed: Day?
  public var lastInteraction: Day?

  public init(id: Int64? = nil) { self.id = id }

  public subscript(field: Field) -> Value {
    get {
      switch field {
      case .id: return id.map(Value.integer) ?? .empty
      case .name: return Deal.text(name)
      case .account: return Deal.text(account)
      case .contact: return Deal.text(contact)
      case .owner: return Deal.text(owner)
      case .pipeline: return Deal.text(pipeline)
      case .stage: return Deal.text(stage)
      case .value: return value.map(Value.money) ?? .empty
      case .currency: return Deal.text(currency)
      case .source: return Deal.text(source)
      case .lostReason: return Deal.text(lostReason)
      case .externalID: return Deal.text(externalID)
      case .tags: return tags.isEmpty ? .empty : .tags(tags)
      case .created: return created.map(Value.date) ?? .empty
      case .stageEntered: return stageEntered.map(Value.date) ?? .empty
      case .expectedClose: return expectedClose.map(Value.date) ?? .empty
      case .closed: return closed.map(Value.date) ?? .empty
      case .lastInteraction: return lastInteraction.map(Value.date) ?? .empty
      case .status, .age, .stageAge, .idle, .probability, .weighted: return .empty
      }
    }
    set {
      switch field {
      case .id: if case .integer(let v) = newValue { id = v } else { id = nil }
      case .name: name = newValue.text
      case .account: account = newValue.text
      case .contact: contact = newValue.text
      case .owner: owner = newValue.text
      case .pipeline: pipeline = newValue.text
      case .stage: stage = newValue.text
      case .value: if case .money(let v) = newValue { value = v } else { value = nil }
      case .currency: currency = newValue.text
      case .source: source = newValue.text
      case .lostReason: lostReason = newValue.text
      case .externalID: externalID = newValue.text
      case .tags: if case .tags(let t) = newValue { tags = t } else { tags = [] }
      case .created: created = newValue.day
      case .stageEntered: stageEntered = newValue.day
      case .expectedClose: expectedClose = newValue.day
      case .closed: closed = newValue.day
      case .lastInteraction: lastInteraction = newValue.day
      case .status, .age, .stageAge, .idle, .probability, .weighted: break
      }
    }
  }

  private static func text(_ string: String) -> Value { string.isEmpty ? .empty : .text(string) }
}

extension Value {
  var text: String {
    if case .text(let text) = self { return text }
    return ""
  }

  var day: Day? {
    if case .date(let day) = self { return day }
    return nil
  }
}
