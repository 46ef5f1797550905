/// What the store keeps beside the deals: saved filters, saved statements and report
/// settings. The journal and the snapshot hold them as name → text (settings under
/// names starting with a dot, which a saved query cannot have); each is read once, when
/// it is set, into its own type — a `SavedQuery` parsed as its kind, the `Settings`.
public struct Definitions: Sendable, Equatable, ExpressibleByDictionaryLiteral {
  /// Every definition as the journal and the snapshot write it.
  public private(set) var texts: [String: String] = [:]
  /// The saved filters and statements, by lowercased name.
  public private(set) var queries: [String: SavedQuery] = [:]
  /// The report settings (a `weighted` column asks for them on every row).
  public private(set) var settings = Settings(definitions: [:])

  public init(_ texts: [String: String] = [:]) {
    self.texts = texts
    for (name, text) in texts where !Settings.isSetting(name) { queries[name] = SavedQuery(name: name, text: text) }
    settings = Settings(definitions: texts)
  }

  public init(dictionaryLiteral elements: (String, String)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }

  /// A definition's text; setting one reads it into its type.
  public subscript(name: String) -> String? {
    get { texts[name] }
    set {
      texts[name] = newValue
      if Settings.isSetting(name) {
        settings = Settings(definitions: texts)
      } else {
        queries[name] = newValue.map { SavedQuery(name: name, text: $0) }
      }
    }
  }

  public static func == (a: Definitions, b: Definitions) -> Bool { a.texts == b.texts }
}
