import Foundation

/// Matches spreadsheet headers to deal fields: case-insensitive, with spaces, dashes,
/// underscores and dots equivalent, and the names CRMs and templates use. The table is
/// data: a new CRM's columns are a line each.
public enum ColumnMatcher {
  /// What a column holds: a deal field, or a won/lost flag that settles a deal's stage.
  public enum Role: Hashable, Sendable {
    case field(Field)
    /// Open, won or lost (Pipedrive's Status).
    case status
    /// Salesforce's IsWon and IsClosed: true or false.
    case isWon, isClosed
    /// The day the deal last changed: dates a stage change found on re-import.
    case modified
    /// The stage's win probability: orders a new pipeline's stages.
    case probability
    /// HubSpot's `Date entered "Closed Won (Sales Pipeline)"`: the day the deal entered
    /// a stage (of a pipeline, when the header names one).
    case entered(stage: String, pipeline: String?)
  }

  /// Every header each role goes by, best first: when two columns of one file mean one
  /// field, a row takes the first of them that has a value (Amount before Expected
  /// Revenue, Won Time and Lost Time filling each other's gaps). HubSpot (display and
  /// internal names), Salesforce (labels and API names), Pipedrive (with its `Deal - `
  /// prefixes), Zoho, Odoo, Bitrix24, Close, Copper, Dynamics and common templates, in
  /// English, Spanish, French, German, Italian and Portuguese where templates use them.
  static let headers: [(Role, [String])] = [
    (
      .field(.id),
      [
        "id", "deal id", "record id", "opportunity id", "potential id", "lead id", "opportunityid", "hs object id",
        "object id", "deal_id", "opportunity_id",
      ]
    ),
    (
      .field(.name),
      [
        "name", "deal name", "dealname", "title", "deal title", "opportunity name", "opportunityname", "potential name",
        "topic", "subject", "deal", "lead name", "nombre", "nom", "titel", "titolo", "nome", "título",
      ]
    ),
    (
      .field(.account),
      [
        "account", "account name", "accountname", "company", "company name", "organization", "organisation",
        "organization name", "organisation name", "associated company", "customer", "customer name", "partner name",
        "partner_name", "partner_id", "client", "empresa", "cliente", "société", "entreprise", "firma",
        "unternehmen", "azienda", "company_title", "account_id", "accountid",
      ]
    ),
    (
      .field(.contact),
      [
        "contact", "contact name", "contact person", "person", "person name", "associated contact", "primary contact",
        "contacto", "contact_id", "kontakt", "contatto",
      ]
    ),
    (
      .field(.owner),
      [
        "owner", "deal owner", "opportunity owner", "potential owner", "owner name", "sales rep", "salesperson",
        "sales agent", "sales_agent", "rep", "assigned to", "assigned", "responsible", "responsable", "user_id",
        "hubspot owner id", "hubspot_owner_id", "ownerid", "assigned_by_id", "assigned by", "propietario", "vendedor",
        "verantwortlich", "commercial", "responsabile",
      ]
    ),
    (.field(.pipeline), ["pipeline", "pipeline name", "deal pipeline", "category", "category_id", "embudo", "funnel"]),
    (
      .field(.stage),
      [
        "stage", "deal stage", "dealstage", "stagename", "stage name", "opportunity stage", "opportunitystage",
        "sales stage", "stage_id", "deal_stage", "etapa", "fase", "étape", "phase", "stufe", "estágio",
      ]
    ),
    (
      .field(.value),
      [
        "value", "amount", "deal value", "deal amount", "opportunity amount", "potential amount", "amount (usd)",
        "amount_usd", "close_value", "close value", "planned_revenue", "opportunity", "expected_revenue",
        "importe", "importe_eur", "monto", "valor", "montant", "betrag", "valore", "deal size", "price",
        "expected revenue", "estimated value", "revenue",
      ]
    ),
    (
      .field(.currency),
      [
        "currency", "currency code", "currencyisocode", "currency_id", "deal currency", "moneda", "währung",
        "devise", "valuta", "moeda",
      ]
    ),
    (.field(.source), ["source", "lead source", "leadsource", "source_id", "channel", "origen", "fuente", "quelle"]),
    (
      .field(.lostReason),
      [
        "lost reason", "closed lost reason", "loss reason", "reason lost", "close reason", "lost_reason_id",
        "motivo de pérdida", "motivo perdida", "verlustgrund", "raison de la perte",
      ]
    ),
    (.field(.tags), ["tags", "tag", "labels", "label", "deal tags", "etiquetas", "étiquettes", "schlagworte"]),
    (
      .field(.created),
      [
        "created", "created date", "create date", "createdate", "created at", "created on", "date created",
        "created time", "createddate", "deal created", "add time", "date_create", "creation date",
        "engage_date", "engage date", "fecha de creación", "fecha creacion", "date de création", "erstellt am",
      ]
    ),
    (
      .field(.stageEntered),
      ["stage entered", "stage date", "stage entered date", "stage change time", "date_last_stage_update"]
    ),
    (
      .field(.expectedClose),
      [
        "expected close", "expected close date", "close date", "closedate", "closing date", "close_date",
        "est. close date", "estimated close date", "expected closing date", "date_deadline", "deadline",
        "cierre_previsto", "fecha de cierre", "date de clôture", "abschlussdatum", "data di chiusura",
      ]
    ),
    (
      .field(.closed),
      [
        "closed", "closed date", "closed on", "closed_at", "date closed", "actual close date", "won time", "date won",
        "lost time", "date lost", "closedate_actual", "date_closed",
      ]
    ),
    (
      .field(.lastInteraction),
      [
        "last interaction", "last activity", "last activity date", "last contacted", "last_activity_date",
        "notes_last_contacted", "last activity (date)", "última actividad",
      ]
    ),
    (.field(.externalID), ["external_id", "external id", "crm id", "source id", "original id"]),
    (.status, ["status", "deal status", "state", "estado"]),
    (.isWon, ["iswon", "is won", "won"]),
    (.isClosed, ["isclosed", "is closed"]),
    (
      .modified,
      [
        "last modified date", "last modified", "lastmodifieddate", "hs_lastmodifieddate", "modified",
        "modified date", "modified time", "date modified", "last modified time", "update time", "updated",
        "updated at", "updated_at", "update_time", "write_date", "date_modify", "fecha de modificación",
      ]
    ),
    (
      .probability,
      [
        "probability", "probability (%)", "deal probability", "deal stage probability", "win probability",
        "hs_deal_stage_probability", "probabilidad", "probabilité", "wahrscheinlichkeit", "probabilità",
      ]
    ),
  ]

  static let index: [String: (role: Role, rank: Int)] = {
    var table: [String: (role: Role, rank: Int)] = [:]
    for (role, names) in headers {
      for (rank, name) in names.enumerated() where table[normalize(name)] == nil {
        table[normalize(name)] = (role, rank)
      }
    }
    return table
  }()

  /// The role of a header and its rank among the role's names (0 is best); nil for a
  /// column pipeq does not know.
  public static func role(forHeader header: String) -> (role: Role, rank: Int)? {
    if let entered = entered(header) { return (entered, 0) }
    for candidate in candidates(header) {
      if let found = index[normalize(candidate)] { return found }
    }
    return nil
  }

  /// The stored field a header names, when it names one.
  public static func field(forHeader header: String) -> Field? {
    guard case .field(let field) = role(forHeader: header)?.role else { return nil }
    return field
  }

  /// The header as written, then the part that names the field: Pipedrive's
  /// `Deal - Title` is Title and `Organization - Name` an organization name; Odoo's
  /// `user_id/id` and `partner_id/name` are user_id and partner_id.
  static func candidates(_ header: String) -> [String] {
    var names = [header]
    if let dash = header.range(of: " - ") {
      let prefix = String(header[..<dash.lowerBound]).folded.trimmingCharacters(in: .whitespaces)
      let rest = String(header[dash.upperBound...])
      names.append(prefix == "deal" || prefix == "lead" ? rest : prefix + " " + rest)
    }
    if let slash = header.lastIndex(of: "/"),
      ["id", "name", "display_name", ".id"].contains(String(header[header.index(after: slash)...]).folded)
    {
      names.append(String(header[..<slash]))
    }
    return names
  }

  /// `Date entered "Closed Won (Sales Pipeline)"` (HubSpot's export) or
  /// `hs_date_entered_closedwon` (its internal name): the stage, and the pipeline when
  /// the header names one.
  static func entered(_ header: String) -> Role? {
    let folded = header.folded.trimmingCharacters(in: .whitespaces)
    var rest: Substring
    if folded.hasPrefix("date entered ") {
      rest = header.trimmingCharacters(in: .whitespaces).dropFirst("date entered ".count)
    } else if let prefix = ["hs_v2_date_entered_", "hs_date_entered_"].first(where: folded.hasPrefix) {
      rest = header.trimmingCharacters(in: .whitespaces).dropFirst(prefix.count)
    } else {
      return nil
    }
    rest = rest.drop { $0 == "\"" || $0 == " " }
    while rest.last == "\"" || rest.last == " " { rest = rest.dropLast() }
    guard !rest.isEmpty else { return nil }
    if rest.last == ")", let open = rest.range(of: " (", options: .backwards) {
      let stage = rest[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
      let pipeline = rest[open.upperBound...].dropLast().trimmingCharacters(in: .whitespaces)
      if !stage.isEmpty && !pipeline.isEmpty { return .entered(stage: stage, pipeline: pipeline) }
    }
    return .entered(stage: String(rest), pipeline: nil)
  }

  static func normalize(_ header: String) -> String {
    header.folded.filter { !" -_.".contains($0) }.trimmingCharacters(in: .whitespaces)
  }
}
