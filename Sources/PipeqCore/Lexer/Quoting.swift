/// Writing a value so the lexer reads it back as one word: plain words stay bare, anything
/// else is quoted with its quotes doubled. Completion and exported statements use it.
public enum Quoting {
  public static func word(_ value: String) -> String {
    let plain = value.unicodeScalars.allSatisfy {
      ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") && $0 != " "
    }
    if plain, let first = value.unicodeScalars.first, !("0"..."9").contains(first) { return value }
    return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
