/// What `.import` is told beyond the file: `dates mdy|dmy`, `map "HEADER" = FIELD`.
public struct ImportOptions: Sendable, Equatable {
  /// Settles a date column whose values fit both M/D and D/M.
  public var dateOrder: DateColumn.Order?
  /// Headers the user placed by hand (`map "Potential Owner" = owner`).
  public var mappings: [String: Field] = [:]

  public init(dateOrder: DateColumn.Order? = nil, mappings: [String: Field] = [:]) {
    self.dateOrder = dateOrder
    self.mappings = mappings
  }
}

/// A CRM's export rewritten as the template the fast import reads: UTF-8 with commas,
/// template column names, one column per field, ISO dates, no null markers, won and lost
/// in the stage, a closing date in `closed`. Files already in that form skip it; every
/// record keeps its line, so errors still point into the user's file.
enum CanonicalCSV {
  typealias Options = ImportOptions

  /// Cells that mean "no value" in exports and spreadsheets.
  static let nulls: Set<String> = ["#n/a", "n/a", "-", "null", "\\n", "(blank)", "#null!"]

  /// Whether a cell is a null marker; most cells are told apart by their first byte.
  static func isNull(_ text: String) -> Bool {
    let utf8 = text.utf8
    guard let first = utf8.first, utf8.count <= 7, "#nN-\\(".utf8.contains(first) else { return false }
    return nulls.contains(text.lowercased())
  }

  /// Appends a cell, quoted when its bytes need it; returns the line feeds it holds.
  static func appendCell(_ text: String, to out: inout [UInt8]) -> Int {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
      out += utf8
      return 0
    }
    out.append(0x22)
    var lines = 0
    for byte in utf8 {
      out.append(byte)
      if byte == 0x22 { out.append(0x22) }
      if byte == 0x0A { lines += 1 }
    }
    out.append(0x22)
    return lines
  }

  struct Column {
    var name: String
    var role: ColumnMatcher.Role?
    var rank: Int
  }

  /// The rewritten file and what the import should tell; nil when the file is already
  /// in the template's form.
  static func prepare(
    _ bytes: [UInt8], fileName: String, options: Options, firstOpenStage: String, progress: WorkProgress? = nil
  ) throws(DiagnosticError) -> (bytes: [UInt8], notes: [String], facts: FileFacts)? {
    guard options != Options() || needsRewrite(bytes) else { return nil }
    progress?.begin("reading", total: bytes.count)
    let (text, dialect) = ExportDialect.read(bytes)
    if let line = dialect.damagedLine {
      let (message, help) = CSVReader.Failure.notUTF8
      throw DiagnosticError(Diagnostic(.error, message, location: "\(fileName):\(line)", help: help))
    }
    let (records, openQuote) = CSVRecords.readChecked(text, separator: dialect.separator, progress: progress)
    if let openQuote {
      throw DiagnosticError(
        Diagnostic(
          .error, "a quoted field is never closed", location: "\(fileName):\(openQuote)",
          help: "a cell that starts with \" needs a closing \" (a quote inside it is written \"\")"))
    }
    guard let header = records.first else { return nil }
    let columns = header.cells.map { name -> Column in
      if let field = options.mappings.first(where: { ColumnMatcher.normalize($0.key) == ColumnMatcher.normalize(name) }
      )?.value {
        return Column(name: name, role: .field(field), rank: -1)
      }
      let found = ColumnMatcher.role(forHeader: name)
      return Column(name: name, role: found?.role, rank: found?.rank ?? 0)
    }
    var rewrite = Rewrite(columns: columns, records: records, fileName: fileName, firstOpenStage: firstOpenStage)
    if let note = dialect.encodingNote { rewrite.notes.append(note) }
    if dialect.separator != 0x2C {
      let name = dialect.separator == 0x09 ? "tabs" : "'\(Character(Unicode.Scalar(dialect.separator)))'"
      rewrite.notes.append("columns are separated by \(name)")
    }
    try rewrite.run(options, progress: progress)
    progress?.begin("rewriting", total: 1)
    defer { progress?.advance(by: 1) }
    return (rewrite.output(), rewrite.notes, rewrite.facts)
  }

  /// Whether the file needs more than the fast import does: another encoding or
  /// separator, two columns for one field, a won/lost column, a missing stage or closed
  /// column, dates that are not ISO, ids that are not numbers, null markers, amounts with
  /// a comma or a thousands point — judged on the header and the first records.
  static func needsRewrite(_ bytes: [UInt8]) -> Bool {
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
    let sample = Array(bytes.prefix(1 << 20))
    let lines = trimmedToLastLine(sample)
    if String(validating: lines, as: UTF8.self) == nil { return true }
    if ExportDialect.sniffSeparator(sample) != 0x2C { return true }
    let (records, openQuote) = CSVRecords.readChecked(lines, separator: 0x2C, limit: 2_001)
    // A quote never closed is reported by the import, with its line.
    guard let header = records.first, openQuote == nil || bytes.count > sample.count else { return false }
    let roles = header.cells.map { ColumnMatcher.role(forHeader: $0)?.role }
    let fields = roles.compactMap { role -> Field? in
      if case .field(let field) = role { return field }
      return nil
    }
    if Set(fields).count != fields.count || roles.contains(where: { $0 != nil && !$0.map(isField)! }) { return true }
    if !fields.contains(.stage) || (fields.contains(.expectedClose) && !fields.contains(.closed)) { return true }
    for record in records.dropFirst() {
      for (index, cell) in record.cells.enumerated() where index < roles.count && !cell.isEmpty {
        if isNull(cell) { return true }
        guard case .field(let field) = roles[index] else { continue }
        // A date in another format is rewritten; one that is no date at all (or an ISO
        // date that does not exist) is left for the import to report where it is.
        if field.kind == .date, Day(iso: cell.prefix(10)) == nil, !DateColumn.orders(fitting: cell).isEmpty,
          !CanonicalCSV.looksISO(cell)
        {
          return true
        }
        if field == .id, Int64(cell) == nil { return true }
        // A comma, or a point not before cents, is read with the column's one mark.
        if field == .value, cell.utf8.contains(0x2C) || (cell.utf8.contains(0x2E) && AmountColumn.evidence(cell) == nil)
        {
          return true
        }
      }
    }
    return false
  }

  /// `2026-02-30`: shaped like an ISO date, whether or not the day exists.
  static func looksISO(_ cell: String) -> Bool {
    let bytes = Array(cell.utf8.prefix(10))
    return bytes.count == 10 && bytes[4] == 0x2D && bytes[7] == 0x2D
  }

  private static func isField(_ role: ColumnMatcher.Role) -> Bool {
    if case .field = role { return true }
    return false
  }

  /// The bytes up to the last line feed, so a sample never ends inside a character.
  private static func trimmedToLastLine(_ bytes: [UInt8]) -> [UInt8] {
    guard let last = bytes.lastIndex(of: 0x0A), last + 1 < bytes.count else { return bytes }
    return Array(bytes[...last])
  }
}
