import Foundation

/// Matches spreadsheet headers to deal fields: case-insensitive, with spaces, dashes
/// and underscores equivalent, and the names CRMs and templates commonly use.
public enum ColumnMatcher {
  static let aliases: [String: Field] = {
    var table: [String: Field] = [:]
    for field in Field.stored { table[normalize(field.rawValue)] = field }
    let extra: [(String, Field)] = [
      ("deal id", .id), ("deal name", .name), ("title", .name), ("deal title", .name),
      ("amount", .value), ("deal value", .value), ("deal amount", .value),
      ("company", .account), ("organization", .account), ("organisation", .account),
      ("account name", .account), ("company name", .account),
      ("contact name", .contact), ("contact person", .contact), ("person", .contact),
      ("deal owner", .owner), ("sales rep", .owner), ("salesperson", .owner), ("rep", .owner),
      ("deal stage", .stage), ("pipeline name", .pipeline),
      ("close date", .expectedClose), ("expected close date", .expectedClose),
      ("expected close", .expectedClose),
      ("created date", .created), ("create date", .created), ("created at", .created),
      ("created on", .created), ("date created", .created),
      ("last activity", .lastInteraction), ("last activity date", .lastInteraction),
      ("last contacted", .lastInteraction),
      ("lead source", .source), ("labels", .tags), ("label", .tags), ("tag", .tags),
      ("lost reason", .lostReason), ("closed date", .closed), ("closed on", .closed),
      ("close reason", .lostReason), ("stage entered", .stageEntered),
      ("stage date", .stageEntered), ("stage entered date", .stageEntered),
    ]
    for (name, field) in extra { table[normalize(name)] = field }
    return table
  }()

  public static func field(forHeader header: String) -> Field? { aliases[normalize(header)] }

  static func normalize(_ header: String) -> String {
    header.folded.filter { !" -_".contains($0) }.trimmingCharacters(in: .whitespaces)
  }
}
