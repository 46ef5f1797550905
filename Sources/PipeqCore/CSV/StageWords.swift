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

  /// A status column's value (Pipedrive: open, won, lost).
  static func outcome(ofStatus text: String) -> String? { outcome(ofStage: text) }

  /// A flag column's true (Salesforce writes true/false, spreadsheets 1/0 or yes/no).
  static func isTrue(_ text: String) -> Bool {
    ["true", "1", "yes", "y", "x", "sí", "si", "oui", "ja", "wahr", "verdadero"].contains(text.folded)
  }
}
