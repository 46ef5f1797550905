import Foundation

/// The stage orders CRMs ship with, so an import puts Prospecting before Negotiation
/// whatever order the file first shows them in. One list per CRM, a line each; a
/// pipeline takes the list that knows most of its stages.
enum StageOrder {
  static let known: [[String]] = [
    ["lead", "contacted", "qualified", "proposal"],
    // HubSpot, display and internal names.
    [
      "appointment scheduled", "qualified to buy", "presentation scheduled", "decision maker bought-in",
      "contract sent",
    ],
    ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"],
    // Salesforce (Zoho shares it).
    [
      "prospecting", "qualification", "needs analysis", "value proposition", "id. decision makers",
      "perception analysis", "proposal/price quote", "negotiation/review",
    ],
    // Pipedrive's default pipeline.
    ["qualified", "contact made", "demo scheduled", "proposal made", "negotiations started"],
    // The "CRM sales opportunities" data set.
    ["prospecting", "engaging"],
    // Bitrix24 and Odoo.
    ["new", "preparation", "prepayment_invoice", "executing", "final_invoice"],
    ["new", "qualified", "proposition"],
    // Words common to hand-made pipelines, in the order sales work goes.
    [
      "lead", "new", "prospect", "prospecting", "contacted", "discovery", "qualification", "qualified", "meeting",
      "demo", "evaluation", "proposal", "quote", "negotiation", "contract", "commit",
    ],
  ]

  /// The open stages of `names` in order: known stages by the best-matching list,
  /// each unknown one right after the stage it followed in the file.
  static func sorted(_ names: [String]) -> [String] {
    let keys = names.map { $0.folded }
    guard
      let list = known.max(by: { a, b in
        keys.filter(a.contains).count < keys.filter(b.contains).count
      }), keys.contains(where: list.contains)
    else { return names }
    var anchor = -1
    var ranked: [(rank: Int, appearance: Int, name: String)] = []
    for (index, key) in keys.enumerated() {
      if let rank = list.firstIndex(of: key) { anchor = rank }
      ranked.append((anchor, index, names[index]))
    }
    return ranked.sorted { ($0.rank, $0.appearance) < ($1.rank, $1.appearance) }.map(\.name)
  }
}
