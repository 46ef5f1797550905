#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `.export` and `.export-defs`: files for people and for other tools, written so that
/// they can never destroy the store or a device.
extension Engine {
  func export(to path: String, span: Span, filter: FilterExpr?, raw: Bool, source: SourceText)
    throws(DiagnosticError) -> Outcome
  {
    var planner = Planner(table: database.table, today: options.today, source: source)
    let plan = try planner.filter(filter)
    let table = database.table
    let rows = FilterCompiler.select(plan, table)
    if !options.checking {
      let progress = startProgress?("exporting to \(path)")
      progress?.begin("collecting", total: rows.count)
      var values: [[Value]] = []
      values.reserveCapacity(rows.count)
      for (index, row) in rows.enumerated() {
        values.append(Field.stored.map { table.value($0, at: row, today: options.today) })
        if index & 16383 == 16383 { progress?.advance(by: 16384, rows: 16384) }
      }
      progress?.begin("writing", total: 1)
      let export = ResultTable(columns: Field.stored.map(\.rawValue), rows: values)
      try writeExport(path, Array(CSVWriter.render(export, neutralise: !raw).utf8), span: span, source: source)
      progress?.advance(by: 1, rows: rows.count)
    } else {
      try checkExportTarget(path, span: span, source: source)
      writtenWhileChecking.insert(resolvedPath(path))
    }
    return Outcome(
      result: .message("exported \(Format.count(rows.count)) \(rows.count == 1 ? "deal" : "deals") to \(path)"),
      warnings: planner.warnings, notices: [])
  }

  /// `.export changes since`: checked against the history before anything is written.
  func exportChanges(since: ChangesSince, to path: String, span: Span, raw: Bool, source: SourceText)
    throws(DiagnosticError) -> Outcome
  {
    let cut: ChangeExport.Since
    switch since {
    case .sequence(let sequence, let at):
      guard sequence <= database.sequence else {
        throw DiagnosticError(
          .error(
            "there is no #\(sequence) yet: the last change is #\(database.sequence)", at: at, in: source,
            help: "`history` lists the numbers"))
      }
      cut = .sequence(sequence)
    case .day(let day, _):
      cut = .day(day)
    }
    guard !options.checking else {
      try checkExportTarget(path, span: span, source: source)
      writtenWhileChecking.insert(resolvedPath(path))
      return Outcome(result: .message("would export changes to \(path)"), warnings: [], notices: [])
    }
    let export = ChangeExport(records: try database.records(), table: database.table, today: options.today)
      .result(since: cut)
    try writeExport(path, Array(CSVWriter.render(export.table, neutralise: !raw).utf8), span: span, source: source)
    let deals = export.table.rows.count
    return Outcome(
      result: .message(
        "exported \(Format.count(deals)) changed \(deals == 1 ? "deal" : "deals") (\(Format.count(export.fieldCount)) \(export.fieldCount == 1 ? "field" : "fields")) to \(path)"
      ), warnings: [], notices: export.notes)
  }

  /// Refuses the store's own files and folders before anything is written.
  func checkExportTarget(_ path: String, span: Span, source: SourceText) throws(DiagnosticError) {
    if database.owns(path) {
      throw DiagnosticError(
        .error(
          "\(path) is one of the store's own files; writing there would destroy the store", at: span, in: source,
          help: "choose another file name"))
    }
    if FileKind(resolvedPath(path)) == .directory {
      throw DiagnosticError(.error("cannot write \(path): it is a folder", at: span, in: source))
    }
  }

  /// A regular file (or a new one) is replaced atomically, through its symlink's target
  /// when it is one; a device or a pipe is written as it is, never renamed over. Errors
  /// name the file asked for, not a temporary one.
  func writeExport(_ path: String, _ bytes: [UInt8], span: Span, source: SourceText) throws(DiagnosticError) {
    try checkExportTarget(path, span: span, source: source)
    let target = FileKind(path) == .symlink ? resolvedPath(path) : path
    do throws(FileError) {
      switch FileKind(target) {
      case .missing, .regular: try fileSystem.replaceAtomically(target, with: bytes)
      default: try fileSystem.writeInPlace(target, bytes)
      }
    } catch {
      throw DiagnosticError(
        .error("cannot write \(path): \(String(cString: strerror(error.code)))", at: span, in: source))
    }
  }
}
