/// Terminal columns a text takes: East Asian wide characters (東京) and most emoji take
/// two, combining marks none. Tables and the board align with it, not with `count`.
extension String {
  public var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }

  /// The longest prefix that fits `width` columns, with `…` when something was cut.
  public func fitted(to width: Int) -> String {
    guard displayWidth > width else { return self }
    var out = ""
    var used = 0
    for character in self {
      let next = character.displayWidth
      if used + next > width - 1 { break }
      out.append(character)
      used += next
    }
    return out + "…"
  }

  /// Words wrapped to lines of at most `width` display columns; a longer word is cut.
  public func wrapped(to width: Int) -> [String] {
    guard displayWidth > width else { return [self] }
    var lines: [String] = []
    var line = ""
    for word in split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
      var word = word
      while word.displayWidth > width {
        if !line.isEmpty {
          lines.append(line)
          line = ""
        }
        var head = ""
        for character in word {
          if (head + String(character)).displayWidth > width { break }
          head.append(character)
        }
        lines.append(head)
        word = String(word.dropFirst(head.count))
      }
      if line.isEmpty {
        line = word
      } else if (line + " " + word).displayWidth <= width {
        line += " " + word
      } else {
        lines.append(line)
        line = word
      }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// Spaces added up to `width` columns.
  public func padded(to width: Int) -> String {
    let shortBy = width - displayWidth
    return shortBy > 0 ? self + String(repeating: " ", count: shortBy) : self
  }
}

extension Character {
  var displayWidth: Int {
    guard let scalar = unicodeScalars.first else { return 0 }
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }
}
