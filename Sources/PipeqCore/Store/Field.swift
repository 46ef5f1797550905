/// The fields of a deal, stored and derived.
public enum Field: String, Sendable, CaseIterable {
  case id, name, account, contact, owner, pipeline, stage, value, currency, source
  case lostReason = "lost_reason"
  case tags, created
  case stageEntered = "stage_entered"
  case expectedClose = "expected_close"
  case closed
  case lastInteraction = "last_interaction"
  /// The deal's id in the CRM it came from (`DEAL-…`, Salesforce's `006…`), kept as
  /// text: a later export of that CRM updates the deal it names.
  case externalID = "external_id"
  // Derived, read-only.
  case status, age
  case stageAge = "stage_age"
  case idle
  /// The stage's win probability, in percent (`.probability` sets it per stage).
  case probability
  /// value × probability: what the deal counts for in the weighted pipeline.
  case weighted

  public enum Kind: Sendable { case integer, text, money, date, tags, stage, pipeline, status, days }

  public var kind: Kind {
    switch self {
    case .id, .probability: return .integer
    case .name, .account, .contact, .owner, .currency, .source, .lostReason, .externalID: return .text
    case .pipeline: return .pipeline
    case .stage: return .stage
    case .value, .weighted: return .money
    case .tags: return .tags
    case .created, .stageEntered, .expectedClose, .closed, .lastInteraction: return .date
    case .status: return .status
    case .age, .stageAge, .idle: return .days
    }
  }

  /// The stored columns, in the order of the CSV template and of exports.
  public static let stored: [Field] = [
    .id, .name, .account, .contact, .owner, .pipeline, .stage, .value, .currency, .source,
    .lostReason, .tags, .created, .stageEntered, .expectedClose, .closed, .lastInteraction, .externalID,
  ]

  public var isDerived: Bool { !Field.stored.contains(self) }

  /// The stored text fields and date fields, in `stored` order: the table's columns of
  /// each kind and the snapshot's blocks (whose order a format test pins).
  public static let storedText = stored.filter { $0.kind == .text }

  /// The field's place among `storedText`: its column in the table; nil for other kinds.
  /// A switch, not a lookup table: every cell a `list` prints asks it (a test holds it
  /// to `storedText`).
  public var textSlot: Int? {
    switch self {
    case .name: return 0
    case .account: return 1
    case .contact: return 2
    case .owner: return 3
    case .currency: return 4
    case .source: return 5
    case .lostReason: return 6
    case .externalID: return 7
    default: return nil
    }
  }
  public static let storedDates = stored.filter { $0.kind == .date }

  /// Fields `set` can write: every stored field but the id, the stage and pipeline
  /// (`move`) and tags (`tag`/`untag`).
  public var isSettable: Bool { !isDerived && ![.id, .pipeline, .stage, .tags].contains(self) }

  /// Fields whose values Tab completion offers after `=`: the few-valued ones.
  public var completesValues: Bool { warnsOnUnknownValue || [.stage, .pipeline, .status].contains(self) }

  /// The date a derived duration counts from: `idle` is the age of `last_interaction`.
  public var durationBase: Field? {
    switch self {
    case .age: return .created
    case .stageAge: return .stageEntered
    case .idle: return .lastInteraction
    default: return nil
    }
  }

  /// Text fields where a value no deal has is worth a warning (few distinct values).
  public var warnsOnUnknownValue: Bool {
    switch self {
    case .owner, .source, .currency, .lostReason, .tags: return true
    default: return false
    }
  }

  /// Looks a field up by name, case-insensitively; `tag` is accepted for `tags`.
  public init?(named name: String) {
    let lower = name.lowercased()
    if lower == "tag" {
      self = .tags
    } else if let field = Field(rawValue: lower) {
      self = field
    } else {
      return nil
    }
  }

  public static var allNames: [String] { allCases.map(\.rawValue) }
}
