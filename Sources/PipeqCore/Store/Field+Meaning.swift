/// What each field means and holds, in words: `fields` (and `.schema`) list them, so a
/// person can find what to write in a filter without the README.
extension Field {
  public var meaning: String {
    switch self {
    case .id: return "the deal's number in this store"
    case .name: return "the deal's name"
    case .account: return "the company the deal is with"
    case .contact: return "the person at that company"
    case .owner: return "who works the deal"
    case .pipeline: return "the pipeline the deal is in"
    case .stage: return "where the deal stands in its pipeline (stage >= compares by order)"
    case .value: return "what the deal is worth, in its currency"
    case .currency: return "the value's currency code (EUR, USD, …)"
    case .source: return "where the deal came from (referral, event, …)"
    case .lostReason: return "why a lost deal was lost"
    case .tags: return "labels: tag = NAME, tags is empty"
    case .created: return "the day the deal was created"
    case .stageEntered: return "the day it entered its current stage"
    case .expectedClose: return "the day it is expected to close"
    case .closed: return "the day it was won or lost"
    case .lastInteraction: return "the day of the last call, mail or meeting"
    case .externalID: return "its id in the CRM it came from"
    case .status: return "open, won, lost or parked, from the stage's kind"
    case .age: return "days since created"
    case .stageAge: return "days in the current stage"
    case .idle: return "days since the last interaction"
    case .probability: return "the stage's win probability, in percent"
    case .weighted: return "value × probability"
    }
  }

  /// The kind as a person reads it: what values the field takes.
  public var kindName: String {
    switch kind {
    case .integer: return "number"
    case .text: return "text"
    case .money: return "money"
    case .date: return "date"
    case .tags: return "tags"
    case .stage: return "stage"
    case .pipeline: return "pipeline"
    case .status: return "status"
    case .days: return "days"
    }
  }
}
