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
  /// The fields' names are declared with the fields (`Field.headerNames`); the roles that
  /// are not fields follow.
  static let headers: [(Role, [String])] =
    Field.stored.map { (.field($0), $0.headerNames) } + [
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
