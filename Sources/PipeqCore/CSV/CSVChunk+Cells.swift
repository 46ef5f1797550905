/// The readings of one cell that need more than its bytes — a date not seen before, an
/// amount with a symbol, an id — and the errors that name its line and column. Kept out
/// of the row loop so the loop reads as finding and storing cells.
extension CSVChunk.Columns {
  func failure(_ message: String, line: Int, column: Int? = nil, help: String? = nil) -> CSVChunk.Failure {
    let place = column.map { "\(fileName):\(line), column \($0)" } ?? "\(fileName):\(line)"
    return CSVChunk.Failure(
      line: line, error: DiagnosticError(Diagnostic(.error, message, location: place, help: help)))
  }

  func failure(_ error: CSVReader.Failure) -> CSVChunk.Failure {
    let (line, message, help) = error.explanation
    return failure(message, line: line, help: help)
  }

  /// A cell's text, trimmed; `'=…` (a cell an export kept from running as a spreadsheet
  /// formula) without its quote.
  func text(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(CSVChunk.Failure) -> String {
    let kept = bytes.count > 1 && bytes[0] == UInt8(ascii: "'") && CSVWriter.formulaStarts.contains(bytes[1])
    guard let text = String(validating: kept ? UnsafeBufferPointer(rebasing: bytes[1...]) : bytes, as: UTF8.self)
    else {
      throw failure(.invalidUTF8(line: line))
    }
    return text.trimmedFast
  }

  /// A text cell's code in `dictionary`, read as `text` reads it. A cell with nothing to
  /// trim or unquote (nearly all) is interned from its bytes: a column of distinct deal
  /// names then makes no String per row.
  func code(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, in dictionary: inout StringDictionary)
    throws(CSVChunk.Failure) -> UInt32
  {
    func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
    let plain =
      !isSpace(bytes[0]) && !isSpace(bytes[bytes.count - 1]) && bytes[0] != UInt8(ascii: "'")
      && (try? UTF8Span(validating: bytes.span)) != nil
    return plain ? dictionary.intern(bytes: bytes) : dictionary.intern(try text(bytes, line: line))
  }

  /// A date cell's day number; nil for a null marker (`#N/A` and the like past the
  /// first rows, which the rewrite samples).
  func day(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, line: Int, _ cache: borrowing DayCache)
    throws(CSVChunk.Failure) -> Int32?
  {
    if let day = cache.day(bytes) { return day.number }
    let text = try text(bytes, line: line)
    if let day = ValueParser.day(text) { return day.number }
    if CanonicalCSV.isNull(text) { return nil }
    throw failure(
      "'\(text)' is not a date (column \(names[column]))", line: line, column: column + 1,
      help: "dates are YYYY-MM-DD (a time after the date is ignored)")
  }

  /// An id cell: a positive whole number.
  func id(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, line: Int) throws(CSVChunk.Failure) -> Int64 {
    if let number = ValueParser.wholeNumber(bytes), number > 0 { return number }
    throw failure(
      "id '\(try text(bytes, line: line))' is not a positive whole number (column \(names[column]))", line: line,
      column: column + 1)
  }

  /// An amount that is not plain digits (`$12,500`, `1.234,56 €`): cents and the
  /// currency its symbol names; nil for a null marker.
  func amount(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, line: Int)
    throws(CSVChunk.Failure) -> (Int64, String?)?
  {
    let text = try text(bytes, line: line)
    if let (cents, currency) = ValueParser.amount(text) { return (cents, currency) }
    if CanonicalCSV.isNull(text) { return nil }
    throw failure(
      "'\(text)' is not an amount (column \(names[column]))", line: line, column: column + 1,
      help: "amounts like 12500, 12,500.00, $12,500 or 1.234,56 €")
  }
}
