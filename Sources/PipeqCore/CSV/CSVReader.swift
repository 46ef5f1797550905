/// An RFC 4180 reader over UTF-8 bytes: quoted fields may hold commas, doubled quotes
/// and line breaks; a leading BOM is skipped; CRLF and LF both end records. Each
/// record remembers the line it starts on so errors can say `file:line`.
public struct CSVReader {
  public struct Record {
    public var fields: [String]
    public var line: Int
  }

  private let bytes: [UInt8]
  /// Where the next record starts.
  public private(set) var offset = 0
  private let end: Int
  private var line = 1

  public init(bytes: [UInt8]) {
    self.bytes = bytes
    self.end = bytes.count
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
  }

  /// Reads the records in `range`, which starts a record on line `line`.
  public init(bytes: [UInt8], range: Range<Int>, line: Int) {
    self.bytes = bytes
    self.offset = range.lowerBound
    self.end = range.upperBound
    self.line = line
  }

  /// Record boundaries that cut the bytes from `start` into about `parts` pieces, each
  /// with the line it starts on. A quote opens or closes a quoted field (a doubled quote
  /// does both), so a line break counts as a boundary only outside quotes.
  public static func split(_ bytes: [UInt8], from start: Int, line: Int, parts: Int) -> [(offset: Int, line: Int)] {
    var pieces = [(offset: start, line: line)]
    guard parts > 1, bytes.count - start > parts else { return pieces }
    let size = (bytes.count - start) / parts
    bytes.withUnsafeBufferPointer { buffer in
      // Quotes and line breaks are counted a stretch at a time (loops the compiler turns
      // into vector code); only the few bytes after each target are walked one by one.
      var quoted = false
      var lines = line
      var position = start
      var target = start + size
      while pieces.count < parts && target < buffer.count {
        let counted = quotesAndLines(in: buffer, position..<target)
        quoted = quoted != (counted.quotes % 2 == 1)
        lines += counted.lines
        position = target
        while position < buffer.count {
          let byte = buffer[position]
          position += 1
          if byte == UInt8(ascii: "\"") {
            quoted.toggle()
          } else if byte == 10 {
            lines += 1
            if !quoted { break }
          }
        }
        guard position < buffer.count else { break }
        pieces.append((position, lines))
        target = max(target + size, position)
      }
    }
    return pieces
  }

  /// Quotes and line feeds in `range`, 32 bytes at a time: one vector compare per byte
  /// kind, counted in 8-bit lanes that are widened before they can overflow. Four times
  /// faster than a byte loop, which the compiler does not vectorise (bench/README.md).
  static func quotesAndLines(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (
    quotes: Int, lines: Int
  ) {
    var quotes = 0
    var lines = 0
    var index = range.lowerBound
    if let base = buffer.baseAddress.map(UnsafeRawPointer.init) {
      let quote = SIMD32<Int8>(repeating: Int8(UInt8(ascii: "\"")))
      let lineFeed = SIMD32<Int8>(repeating: 10)
      let stretch = 32 * Int(Int8.max)
      while index + stretch <= range.upperBound {
        var quoteLanes = SIMD32<Int8>()
        var lineLanes = SIMD32<Int8>()
        for _ in 0..<Int(Int8.max) {
          let bytes = base.loadUnaligned(fromByteOffset: index, as: SIMD32<Int8>.self)
          // A true lane is all ones (-1); subtracting counts it.
          quoteLanes &-= unsafeBitCast(bytes .== quote, to: SIMD32<Int8>.self)
          lineLanes &-= unsafeBitCast(bytes .== lineFeed, to: SIMD32<Int8>.self)
          index += 32
        }
        quotes += Int(SIMD32<Int16>(truncatingIfNeeded: quoteLanes).wrappedSum())
        lines += Int(SIMD32<Int16>(truncatingIfNeeded: lineLanes).wrappedSum())
      }
    }
    while index < range.upperBound {
      if buffer[index] == UInt8(ascii: "\"") { quotes += 1 } else if buffer[index] == 10 { lines += 1 }
      index += 1
    }
    return (quotes, lines)
  }

  public enum Failure: Error, Equatable {
    case unterminatedQuote(line: Int)
    case textAfterQuote(line: Int)
    case invalidUTF8(line: Int)

    /// What a line that is not UTF-8 in a UTF-8 file gets told, and what settles it.
    static let notUTF8 = (
      message: "this line is not UTF-8 text, though the rest of the file is",
      help: "correct the line, or save the spreadsheet again as CSV UTF-8"
    )
  }

  /// A cell as a range of the file's bytes. A quoted cell's range is inside the quotes,
  /// and any doubled quote in it still doubled.
  public struct Cell: Sendable {
    public var start: Int
    public var end: Int
    public var quoted: Bool
  }

  /// The next record's cells, without making strings (the importer makes one only for
  /// a value it has not seen); returns the line the record starts on, nil at the end.
  /// Blank lines are skipped.
  public mutating func nextCells(_ cells: inout [Cell]) throws(Failure) -> Int? {
    cells.removeAll(keepingCapacity: true)
    return try bytes.withUnsafeBufferPointer { buffer throws(Failure) -> Int? in
      while offset < end, buffer[offset] == 10 || buffer[offset] == 13 {
        if buffer[offset] == 10 { line += 1 }
        offset += 1
      }
      guard offset < end else { return nil }
      let startLine = line
      while true {
        cells.append(try CSVReader.cell(buffer, at: &offset, end: end, line: &line, recordLine: startLine))
        if !CSVReader.anotherCell(buffer, at: &offset, end: end, line: &line) { return startLine }
      }
    }
  }

  /// The cell at `offset`, leaving `offset` at the comma or line end after it. A quoted
  /// cell's range is inside its quotes (doubled quotes still doubled); line breaks in it
  /// are counted into `line`. Shared by `nextCells` and the import's row loop.
  @inline(__always)
  static func cell(
    _ buffer: UnsafeBufferPointer<UInt8>, at offset: inout Int, end: Int, line: inout Int, recordLine: Int
  )
    throws(Failure) -> Cell
  {
    let quote = UInt8(ascii: "\"")
    guard offset < end, buffer[offset] == quote else {
      let start = offset
      offset = unquotedCellEnd(buffer, from: offset, to: end)
      return Cell(start: start, end: offset, quoted: false)
    }
    offset += 1
    let start = offset
    while true {
      guard offset < end else { throw .unterminatedQuote(line: recordLine) }
      let byte = buffer[offset]
      if byte == quote {
        if offset + 1 < end, buffer[offset + 1] == quote {
          offset += 2
          continue
        }
        break
      }
      if byte == 10 { line += 1 }
      offset += 1
    }
    let cell = Cell(start: start, end: offset, quoted: true)
    offset += 1
    while offset < end, buffer[offset] == UInt8(ascii: " ") { offset += 1 }
    if offset < end, buffer[offset] != UInt8(ascii: ","), buffer[offset] != 10, buffer[offset] != 13 {
      throw .textAfterQuote(line: line)
    }
    return cell
  }

  /// Past a cell: true when a comma starts another; otherwise steps over the line end
  /// (CRLF or LF) and returns false.
  @inline(__always)
  static func anotherCell(_ buffer: UnsafeBufferPointer<UInt8>, at offset: inout Int, end: Int, line: inout Int) -> Bool
  {
    if offset < end, buffer[offset] == UInt8(ascii: ",") {
      offset += 1
      return true
    }
    if offset < end, buffer[offset] == 13 { offset += 1 }
    if offset < end, buffer[offset] == 10 {
      offset += 1
      line += 1
    }
    return false
  }

  /// Where an unquoted cell ends: at the first comma, CR or LF from `start`, found
  /// eight bytes at a time (a compare per byte was the import row loop's biggest cost).
  static func unquotedCellEnd(_ file: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
    var position = start
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    if let base = file.baseAddress.map(UnsafeRawPointer.init) {
      while position + 8 <= end {
        let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self).littleEndian
        // Bytes equal to a comma, and bytes below 14 (CR, LF and the other control
        // bytes): of each test, the lowest flagged byte is a true match.
        let commas = word ^ (ones &* 0x2C)
        let flags = ((commas &- ones) & ~commas | (word &- ones &* 14) & ~word) & highs
        if flags == 0 {
          position += 8
          continue
        }
        position += flags.trailingZeroBitCount >> 3
        let byte = file[position]
        if byte == 0x2C || byte == 10 || byte == 13 { return position }
        // A tab or another control byte belongs to the cell.
        position += 1
      }
    }
    while position < end {
      let byte = file[position]
      if byte == 0x2C || byte == 10 || byte == 13 { break }
      position += 1
    }
    return position
  }

  /// Copies a quoted cell's bytes with each doubled quote made single; `out` may be the
  /// cell's own storage (it is written behind where it is read). Returns the length.
  static func undoubleQuotes(_ raw: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
    var index = 0
    var count = 0
    while index < raw.count {
      out[count] = raw[index]
      count += 1
      index += raw[index] == UInt8(ascii: "\"") ? 2 : 1
    }
    return count
  }

  /// The next record, or nil at the end. Blank lines are skipped.
  public mutating func next() throws(Failure) -> Record? {
    var cells: [Cell] = []
    guard let startLine = try nextCells(&cells) else { return nil }
    var fields: [String] = []
    fields.reserveCapacity(cells.count)
    for cell in cells {
      var field = Array(bytes[cell.start..<cell.end])
      if cell.quoted {
        let kept = field.withUnsafeMutableBufferPointer { buffer in
          CSVReader.undoubleQuotes(UnsafeBufferPointer(buffer), into: buffer.baseAddress!)
        }
        field.removeLast(field.count - kept)
      }
      guard let text = String(validating: field, as: UTF8.self) else { throw .invalidUTF8(line: startLine) }
      fields.append(text)
    }
    return Record(fields: fields, line: startLine)
  }
}

extension CSVReader.Failure {
  /// What to tell a person: the line, the problem and how to fix it.
  var explanation: (line: Int, message: String, help: String?) {
    switch self {
    case .unterminatedQuote(let line):
      return (line, "a quoted field is never closed", nil)
    case .textAfterQuote(let line):
      return (line, "text after a closing quote", "quotes inside a quoted field are doubled: \"say \"\"hi\"\"\"")
    case .invalidUTF8(let line):
      return (line, Self.notUTF8.message, Self.notUTF8.help)
    }
  }
}
