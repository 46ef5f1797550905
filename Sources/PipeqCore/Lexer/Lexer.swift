/// Turns statement text into tokens. Works on UTF-8 bytes; words may hold any
/// non-ASCII letters so names like Müller or 東京 need no quotes.
public struct Lexer {
  private let source: SourceText
  private let bytes: [UInt8]
  private var offset: Int
  private let end: Int

  /// Lexes `span` of `source` (the whole text by default).
  public init(_ source: SourceText, span: Span? = nil) {
    self.source = source
    self.bytes = source.bytes
    self.offset = span?.start ?? 0
    self.end = span?.end ?? source.bytes.count
  }

  public static func tokens(_ source: SourceText, span: Span? = nil) throws(DiagnosticError)
    -> [Token]
  {
    var lexer = Lexer(source, span: span)
    var tokens: [Token] = []
    while true {
      let token = try lexer.next()
      tokens.append(token)
      if token.kind == .end { return tokens }
    }
  }

  public mutating func next() throws(DiagnosticError) -> Token {
    skipSpaceAndComments()
    guard offset < end else { return Token(.end, Span(end, end)) }
    let start = offset
    let byte = bytes[offset]
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      return try lexString(quote: byte)
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try lexNumber()
    case UInt8(ascii: "#"):
      offset += 1
      while offset < end, isDigit(bytes[offset]) { offset += 1 }
      let span = Span(start, offset)
      guard let sequence = UInt64(source.slice(Span(start + 1, offset))) else {
        throw DiagnosticError(.error("action number out of range", at: span, in: source))
      }
      return Token(.reference(sequence), span)
    case UInt8(ascii: "."):
      if offset + 1 < end, isDigit(bytes[offset + 1]) { return try lexNumber() }
    default:
      if isWordStart(byte) { return lexWord() }
    }
    offset += 1
    let next: UInt8? = offset < end ? bytes[offset] : nil
    func two(_ kind: Token.Kind) -> Token {
      offset += 1
      return Token(kind, Span(start, offset))
    }
    let one = { (kind: Token.Kind) in Token(kind, Span(start, start + 1)) }
    switch byte {
    case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? two(.equal) : one(.equal)
    case UInt8(ascii: "!"):
      if next == UInt8(ascii: "=") { return two(.notEqual) }
      if next == UInt8(ascii: "~") { return two(.notTilde) }
    case UInt8(ascii: "<"):
      if next == UInt8(ascii: "=") { return two(.lessEqual) }
      if next == UInt8(ascii: ">") { return two(.notEqual) }
      return one(.less)
    case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? two(.greaterEqual) : one(.greater)
    case UInt8(ascii: "~"): return one(.tilde)
    case UInt8(ascii: "("): return one(.leftParen)
    case UInt8(ascii: ")"): return one(.rightParen)
    case UInt8(ascii: ","): return one(.comma)
    case UInt8(ascii: ";"): return one(.semicolon)
    case UInt8(ascii: "+"): return one(.plus)
    case UInt8(ascii: "-"): return one(.minus)
    case UInt8(ascii: "*"): return one(.star)
    case UInt8(ascii: "/"): return one(.slash)
    default: break
    }
    offset = start
    let character = source.slice(Span(start, start + scalarLength(at: start)))
    throw DiagnosticError(
      .error("unexpected character '\(character)'", at: Span(start, start + scalarLength(at: start)), in: source))
  }

  private mutating func skipSpaceAndComments() {
    while offset < end {
      let byte = bytes[offset]
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        || byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: "\\") && isLineContinuation())
      {
        offset += 1
      } else if Lexer.startsComment(bytes, at: offset, end: end) {
        while offset < end, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
      } else {
        return
      }
    }
  }

  /// A backslash at the end of a line joins it with the next.
  private func isLineContinuation() -> Bool {
    var probe = offset + 1
    while probe < end, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\r") {
      probe += 1
    }
    return probe >= end || bytes[probe] == UInt8(ascii: "\n")
  }

  private mutating func lexString(quote: UInt8) throws(DiagnosticError) -> Token {
    let start = offset
    guard let close = Lexer.endOfText(bytes, from: start + 1, end: end, quote: quote) else {
      throw DiagnosticError(
        .error(
          "unterminated text: the closing \(quote == UInt8(ascii: "\"") ? "\"" : "'") is missing",
          at: Span(start, start + 1), in: source))
    }
    var content: [UInt8] = []
    var index = start + 1
    while index < close - 1 {
      // The escapes `endOfText` skips stand for their second byte.
      if Lexer.isEscape(bytes, at: index, end: end, quote: quote) { index += 1 }
      content.append(bytes[index])
      index += 1
    }
    offset = close
    return Token(.string(String(decoding: content, as: UTF8.self)), Span(start, close))
  }

  /// Where quoted text ends: the index after its closing quote, or nil when `end` comes
  /// first (`from` is the first byte inside the quotes). A doubled quote (`'O''Brien'`)
  /// and a backslash before the quote or a backslash (`'it\'s'`) stand for themselves.
  /// The one rule the lexer, the statement splitter and the continuation prompt share.
  public static func endOfText(_ bytes: [UInt8], from: Int, end: Int, quote: UInt8) -> Int? {
    var index = from
    while index < end {
      if isEscape(bytes, at: index, end: end, quote: quote) {
        index += 2
      } else if bytes[index] == quote {
        return index + 1
      } else {
        index += 1
      }
    }
    return nil
  }

  /// A two-byte escape inside quotes: a doubled quote, or a backslash before the quote or
  /// a backslash.
  static func isEscape(_ bytes: [UInt8], at index: Int, end: Int, quote: UInt8) -> Bool {
    guard index + 1 < end else { return false }
    let next = bytes[index + 1]
    return bytes[index] == quote
      ? next == quote : bytes[index] == UInt8(ascii: "\\") && (next == quote || next == UInt8(ascii: "\\"))
  }

  /// `#` starts a comment to the end of the line unless a digit follows (`undo #12`).
  public static func startsComment(_ bytes: [UInt8], at index: Int, end: Int) -> Bool {
    bytes[index] == UInt8(ascii: "#") && !(index + 1 < end && bytes[index + 1] >= 48 && bytes[index + 1] <= 57)
  }

  private mutating func lexNumber() throws(DiagnosticError) -> Token {
    let start = offset
    // A month or a quarter: four digits, dash, then two digits or q and a digit.
    if offset + 7 <= end, bytes[offset + 4] == UInt8(ascii: "-"), (0..<4).allSatisfy({ isDigit(bytes[offset + $0]) }),
      offset + 7 == end || !(isWordPart(bytes[offset + 7]) || bytes[offset + 7] == UInt8(ascii: "-"))
    {
      let quarter = (bytes[offset + 5] | 0x20) == UInt8(ascii: "q") && isDigit(bytes[offset + 6])
      if quarter || (isDigit(bytes[offset + 5]) && isDigit(bytes[offset + 6])) {
        offset += 7
        return Token(.period(source.slice(Span(start, offset))), Span(start, offset))
      }
    }
    // A date: four digits, dash, two digits, dash, two digits.
    if offset + 10 <= end, bytes[offset + 4] == UInt8(ascii: "-"),
      (0..<4).allSatisfy({ isDigit(bytes[offset + $0]) }),
      offset + 10 == end || !isWordPart(bytes[offset + 10])
    {
      var probe = offset + 5
      while probe < end, isDigit(bytes[probe]) || bytes[probe] == UInt8(ascii: "-") { probe += 1 }
      offset = probe
      return Token(.date(source.slice(Span(start, offset))), Span(start, offset))
    }
    while offset < end, isDigit(bytes[offset]) || bytes[offset] == UInt8(ascii: "_") { offset += 1 }
    if offset + 1 < end, bytes[offset] == UInt8(ascii: "."), isDigit(bytes[offset + 1]) {
      offset += 1
      while offset < end, isDigit(bytes[offset]) { offset += 1 }
    }
    let digitsEnd = offset
    let numberText = source.slice(Span(start, digitsEnd)).replacingOccurrences(of: "_", with: "")
    guard let number = Double(numberText) else {
      throw DiagnosticError(.error("malformed number", at: Span(start, digitsEnd), in: source))
    }
    if offset < end, bytes[offset] == UInt8(ascii: "%") {
      // A percentage (`60%`): the number as written; its text keeps the sign.
      offset += 1
      return Token(.number(number, text: source.slice(Span(start, offset))), Span(start, offset))
    }
    while offset < end, isWordPart(bytes[offset]) { offset += 1 }
    let suffix = source.slice(Span(digitsEnd, offset)).lowercased()
    let span = Span(start, offset)
    let text = source.slice(span)
    switch suffix {
    case "": return Token(.number(number, text: text), span)
    case "k": return Token(.number(number * 1_000, text: text), span)
    case "m": return Token(.number(number * 1_000_000, text: text), span)
    default:
      guard let unit = Duration.Unit(rawValue: suffix) else {
        throw DiagnosticError(
          .error(
            "unknown unit '\(suffix)' after \(numberText)", at: Span(digitsEnd, offset), in: source,
            help: "numbers take k or m (10k, 1.5m); durations take d, w, mo, q or y (90d, 6mo)"))
      }
      guard number == number.rounded() else {
        throw DiagnosticError(.error("a duration needs a whole number: \(text)", at: span, in: source))
      }
      guard number <= Double(Duration.largest) else {
        throw DiagnosticError(
          .error(
            "\(text) is too long: a duration reaches at most \(Format.count(Duration.largest)) units, past any date pipeq keeps (\(Day.range))",
            at: span, in: source))
      }
      return Token(.duration(Duration(Int(number), unit)), span)
    }
  }

  private mutating func lexWord() -> Token {
    let start = offset
    while offset < end, isWordPart(bytes[offset]) { offset += 1 }
    let span = Span(start, offset)
    return Token(.word(source.slice(span)), span)
  }

  private func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  private func isWordStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
      || byte >= 0x80 || byte == UInt8(ascii: "$")
  }

  private func isWordPart(_ byte: UInt8) -> Bool { isWordStart(byte) || isDigit(byte) }

  private func scalarLength(at index: Int) -> Int {
    let byte = bytes[index]
    let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    return min(length, end - index)
  }
}
