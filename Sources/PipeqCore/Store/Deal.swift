/// One deal as a plain record: what import produces and export consumes. The store
/// itself keeps columns (`DealTable`); this type is for moving whole deals around.
/// Text and date fields are kept by their slot in `Field`'s declaration, so a new
/// field of those kinds is added there alone.
public struct Deal: Sendable, Equatable {
  public var id: Int64?
  public var pipeline = "sales"
  public var stage = "lead"
  /// Hundredths of the currency unit.
  public var value: Int64?
  public var tags: [String] = []
  /// The text fields at their `textSlot`; empty is no value.
  private var texts = [String](repeating: "", count: Field.storedText.count)
  /// The date fields at their `dateSlot`.
  private var days = [Day?](repeating: nil, count: Field.storedDates.count)

  public init(id: Int64? = nil) { self.id = id }

  /// A text field's text ("" when empty).
  public subscript(text field: Field) -> String {
    get { texts[field.textSlot!] }
    set { texts[field.textSlot!] = newValue }
  }

  /// A date field's day.
  public subscript(date field: Field) -> Day? {
    get { days[field.dateSlot!] }
    set { days[field.dateSlot!] = newValue }
  }

  public subscript(field: Field) -> Value {
    get {
      if let slot = field.textSlot { return Deal.text(texts[slot]) }
      if let slot = field.dateSlot { return days[slot].map(Value.date) ?? .empty }
      switch field {
      case .id: return id.map(Value.integer) ?? .empty
      case .pipeline: return Deal.text(pipeline)
      case .stage: return Deal.text(stage)
      case .value: return value.map(Value.money) ?? .empty
      case .tags: return tags.isEmpty ? .empty : .tags(tags)
      default: return .empty
      }
    }
    set {
      if let slot = field.textSlot {
        texts[slot] = newValue.text
        return
      }
      if let slot = field.dateSlot {
        days[slot] = newValue.day
        return
      }
      switch field {
      case .id: if case .integer(let v) = newValue { id = v } else { id = nil }
      case .pipeline: pipeline = newValue.text
      case .stage: stage = newValue.text
      case .value: if case .money(let v) = newValue { value = v } else { value = nil }
      case .tags: if case .tags(let t) = newValue { tags = t } else { tags = [] }
      default: break
      }
    }
  }

  private static func text(_ string: String) -> Value { string.isEmpty ? .empty : .text(string) }
}
