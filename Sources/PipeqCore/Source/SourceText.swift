/// A piece of text statements were read from: a `-c` argument, a script file, a REPL line.
///
/// Spans are UTF-8 byte offsets into `text`; line and column are computed only when an
/// error is rendered, so lexing stays cheap.
public struct SourceText: Sendable {
  public let name: String
  public let text: String
  public let bytes: [UInt8]
  private let lineStarts: [Int]
  /// The line the text starts on in its file: a statement piped on its own at line 90
  /// of the input still says line 90 in its errors.
  public let firstLine: Int

  public init(name: String, text: String, firstLine: Int = 1) {
    self.name = name
    self.text = text
    self.firstLine = firstLine
    self.bytes = Array(text.utf8)
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
    self.lineStarts = starts
  }

  /// A script as read from a file or a pipe: a UTF-8 byte-order mark at its start is
  /// dropped and line ends written as a lone CR (old Mac editors) become line feeds, so
  /// statements and error locations read as the author saw them.
  public init(name: String, script bytes: [UInt8]) {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    var text = [UInt8]()
    text.reserveCapacity(body.count)
    var index = body.startIndex
    while index < body.endIndex {
      let byte = body[index]
      index += 1
      if byte == UInt8(ascii: "\r"), index == body.endIndex || body[index] != UInt8(ascii: "\n") {
        text.append(UInt8(ascii: "\n"))
      } else {
        text.append(byte)
      }
    }
    self.init(name: name, text: String(decoding: text, as: UTF8.self))
  }

  /// The text a span covers.
  public func slice(_ span: Span) -> String {
    let start = min(span.start, bytes.count)
    let end = min(max(span.end, start), bytes.count)
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// 1-based line and column (in characters) of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let line = lineIndex(of: offset)
    let start = lineStarts[line]
    let prefix = String(decoding: bytes[start..<min(offset, bytes.count)], as: UTF8.self)
    return (line + firstLine, prefix.count + 1)
  }

  /// The text of the 1-based line (counted as `location` counts), without its line break.
  public func lineText(_ number: Int) -> String {
    let line = number - firstLine + 1
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The byte offset where the 1-based line ends (before its line break).
  func lineEndOffset(_ number: Int) -> Int {
    let line = number - firstLine + 1
    return line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
  }

  /// The 0-based line holding a byte offset.
  public func lineIndex(ofOffset offset: Int) -> Int { lineIndex(of: offset) }

  func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }
}

/// A half-open range of UTF-8 offsets in a `SourceText`.
public struct Span: Sendable, Hashable, CustomStringConvertible {
  public var start: Int
  public var end: Int

  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = end
  }

  public func to(_ other: Span) -> Span { Span(start, max(end, other.end)) }
  public var description: String { "\(start)..<\(end)" }
}
