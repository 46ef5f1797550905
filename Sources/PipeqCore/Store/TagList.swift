import Foundation

/// A deal's tags as one cell: joined with `;`; a `;`, `,` or `\` inside a tag is
/// escaped with `\`, so a tag `a;b` comes back whole. Reading splits at `;` or `,` (CRM
/// exports use either) and trims each tag.
public enum TagList {
  public static func join(_ tags: [String]) -> String {
    tags.map { tag in
      var escaped = ""
      for character in tag {
        if character == ";" || character == "," || character == "\\" { escaped.append("\\") }
        escaped.append(character)
      }
      return escaped
    }.joined(separator: ";")
  }

  public static func split(_ text: String) -> [String] {
    var tags: [String] = []
    var current = ""
    var escaping = false
    for character in text {
      if escaping {
        current.append(character)
        escaping = false
      } else if character == "\\" {
        escaping = true
      } else if character == ";" || character == "," {
        tags.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    if escaping { current.append("\\") }
    tags.append(current)
    return tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
