import Foundation

/// The words CRMs and spreadsheets use for a won or a lost deal, in their default stage
/// names and in the main European languages: one table, a line per word.
enum StageWords {
  static let won: Set<String> = [
    "won", "closed won", "closedwon", "closed/won", "closed - won", "deal won", "win", "won deal", "sale", "ganado",
    "cerrado ganado", "ganada", "cerrada ganada", "gagné", "gagnée", "affaire gagnée", "gewonnen", "auftrag erhalten",
    "vinto", "vinta", "chiuso vinto", "ganho", "fechado ganho", "gewonnen deal", "c:won",
  ]
  static let lost: Set<String> = [
    "lost", "closed lost", "closedlost", "closed/lost", "closed - lost", "closed lost to competition", "deal lost",
    "lose", "loss", "perdido", "cerrado perdido", "perdida", "cerrada perdida", "descartada", "descartado", "perdu",
    "perdue", "affaire perdue", "verloren", "abgesagt", "perso", "persa", "chiuso perso", "fechado perdido",
    "c:lose", "junk", "apology",
  ]

  /// "won" or "lost" when a stage name says so; nil for an open stage.
  static func outcome(ofStage name: String) -> String? {
    let key = name.folded.trimmingCharacters(in: .whitespaces)
    if won.contains(key) { return "won" }
    if lost.contains(key) { return "lost" }
    return nil
  }

  /// Word pairs that turn a CRM's won stage name into its lost one and back.
  static let opposites: [(won: String, lost: String)] = [
    ("won", "lost"), ("win", "loss"), ("ganado", "perdido"), ("ganada", "perdida"), ("gagné", "perdu"),
    ("gagnée", "perdue"), ("gewonnen", "verloren"), ("vinto", "perso"), ("vinta", "persa"), ("ganho", "perdido"),
  ]

  /// The CRM's name for the other outcome, in the style of `label` (`Closed Won` gives
  /// `Closed Lost`): a file whose deals were all won still takes back a flush's losses.
  static func opposite(of label: String) -> String? {
    var words = label.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    for (index, word) in words.enumerated() {
      let folded = word.folded
      guard let pair = opposites.first(where: { $0.won == folded || $0.lost == folded }) else { continue }
      let other = pair.won == folded ? pair.lost : pair.won
      words[index] =
        word == word.uppercased() ? other.uppercased() : word.first?.isUppercase == true ? other.capitalized : other
      return words.joined(separator: " ")
    }
    return nil
  }

  /// A status column's value (Pipedrive: open, won, lost).
  static func outcome(ofStatus text: String) -> String? { outcome(ofStage: text) }

  /// A flag column's true (Salesforce writes true/false, spreadsheets 1/0 or yes/no).
  static func isTrue(_ text: String) -> Bool {
    ["true", "1", "yes", "y", "x", "sí", "si", "oui", "ja", "wahr", "verdadero"].contains(text.folded)
  }
}
