/// The fields of a deal, stored and derived: the deal record kind's declaration.
public enum Field: String, RecordField {
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

  public static let idField = Field.id

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

  /// The field's place among `storedDates`: its column in the table; nil for other kinds.
  /// A switch for the same reason as `textSlot` (a test holds it to `storedDates`).
  public var dateSlot: Int? {
    switch self {
    case .created: return 0
    case .stageEntered: return 1
    case .expectedClose: return 2
    case .closed: return 3
    case .lastInteraction: return 4
    default: return nil
    }
  }

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

  /// Every header a spreadsheet or CRM export names this field by, best first (the
  /// import's alias table, `ColumnMatcher.headers`, starts with these): HubSpot, Salesforce,
  /// Pipedrive, Zoho, Odoo, Bitrix24 and common templates, in six languages.
  public var headerNames: [String] {
    switch self {
    case .id:
      return [
        "id", "deal id", "record id", "opportunity id", "potential id", "lead id", "opportunityid", "hs object id",
        "object id", "deal_id", "opportunity_id",
      ]
    case .name:
      return [
        "name", "deal name", "dealname", "title", "deal title", "opportunity name", "opportunityname", "potential name",
        "topic", "subject", "deal", "lead name", "nombre", "nom", "titel", "titolo", "nome", "título",
      ]
    case .account:
      return [
        "account", "account name", "accountname", "company", "company name", "organization", "organisation",
        "organization name", "organisation name", "associated company", "customer", "customer name", "partner name",
        "partner_name", "partner_id", "client", "empresa", "cliente", "société", "entreprise", "firma", "unternehmen",
        "azienda", "company_title", "account_id", "accountid",
      ]
    case .contact:
      return [
        "contact", "contact name", "contact person", "person", "person name", "associated contact", "primary contact",
        "contacto", "contact_id", "kontakt", "contatto",
      ]
    case .owner:
      return [
        "owner", "deal owner", "opportunity owner", "potential owner", "owner name", "sales rep", "salesperson",
        "sales agent", "sales_agent", "rep", "assigned to", "assigned", "responsible", "responsable", "user_id",
        "hubspot owner id", "hubspot_owner_id", "ownerid", "assigned_by_id", "assigned by", "propietario", "vendedor",
        "verantwortlich", "commercial", "responsabile",
      ]
    case .pipeline:
      return ["pipeline", "pipeline name", "deal pipeline", "category", "category_id", "embudo", "funnel"]
    case .stage:
      return [
        "stage", "deal stage", "dealstage", "stagename", "stage name", "opportunity stage", "opportunitystage",
        "sales stage", "stage_id", "deal_stage", "etapa", "fase", "étape", "phase", "stufe", "estágio",
      ]
    case .value:
      return [
        "value", "amount", "deal value", "deal amount", "opportunity amount", "potential amount", "amount (usd)",
        "amount_usd", "close_value", "close value", "planned_revenue", "opportunity", "expected_revenue", "importe",
        "importe_eur", "monto", "valor", "montant", "betrag", "valore", "deal size", "price", "expected revenue",
        "estimated value", "revenue",
      ]
    case .currency:
      return [
        "currency", "currency code", "currencyisocode", "currency_id", "deal currency", "moneda", "währung", "devise",
        "valuta", "moeda",
      ]
    case .source:
      return ["source", "lead source", "leadsource", "source_id", "channel", "origen", "fuente", "quelle"]
    case .lostReason:
      return [
        "lost reason", "closed lost reason", "loss reason", "reason lost", "close reason", "lost_reason_id",
        "motivo de pérdida", "motivo perdida", "verlustgrund", "raison de la perte",
      ]
    case .tags:
      return ["tags", "tag", "labels", "label", "deal tags", "etiquetas", "étiquettes", "schlagworte"]
    case .created:
      return [
        "created", "created date", "create date", "createdate", "created at", "created on", "date created",
        "created time", "createddate", "deal created", "add time", "date_create", "creation date", "engage_date",
        "engage date", "fecha de creación", "fecha creacion", "date de création", "erstellt am",
      ]
    case .stageEntered:
      return ["stage entered", "stage date", "stage entered date", "stage change time", "date_last_stage_update"]
    case .expectedClose:
      return [
        "expected close", "expected close date", "close date", "closedate", "closing date", "close_date",
        "est. close date", "estimated close date", "expected closing date", "date_deadline", "deadline",
        "cierre_previsto", "fecha de cierre", "date de clôture", "abschlussdatum", "data di chiusura",
      ]
    case .closed:
      return [
        "closed", "closed date", "closed on", "closed_at", "date closed", "actual close date", "won time", "date won",
        "lost time", "date lost", "closedate_actual", "date_closed",
      ]
    case .lastInteraction:
      return [
        "last interaction", "last activity", "last activity date", "last contacted", "last_activity_date",
        "notes_last_contacted", "last activity (date)", "última actividad",
      ]
    case .externalID:
      return ["external_id", "external id", "crm id", "source id", "original id"]
    case .status, .age, .stageAge, .idle, .probability, .weighted: return []
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
