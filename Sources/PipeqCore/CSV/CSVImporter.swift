import Dispatch
import Foundation

/// Turns a spreadsheet CSV into an all-or-nothing insert: every row is checked before
/// anything is kept, and the first bad cell aborts the import with file:line.
public struct CSVImporter {
  public struct Report: Sendable {
    /// Deals added.
    public var imported: Int
    /// Deals already in the store (by id) whose fields the file changed, or left as
    /// they were.
    public var updated = 0
    public var unchanged = 0
    public var notices: [String]
  }

  public let table: DealTable
  public let today: Day
  /// Told how far the import is (the shell's bar on a terminal).
  public var progress: WorkProgress?

  public init(table: DealTable, today: Day) {
    self.table = table
    self.today = today
  }

  public func makeMutation(
    bytes given: [UInt8], fileName: String, statement: String, parts: Int? = nil,
    options: ImportOptions = ImportOptions()
  ) throws(DiagnosticError) -> (Mutation, Report) {
    // A CRM's own export is first rewritten as the template (most files skip this).
    let firstOpen = table.pipelines.firstLive.flatMap { $0.stages.first }.map {
      table.pipelines.stages[Int($0)].name
    }
    let prepared = try CanonicalCSV.prepare(
      given, fileName: fileName, options: options, firstOpenStage: firstOpen ?? "lead", progress: progress)
    let bytes = prepared?.bytes ?? given
    var notices = prepared?.notes ?? []
    var reader = CSVReader(bytes: bytes)
    let header = try Header(&reader, fileName: fileName)
    var facts = prepared?.facts ?? FileFacts(columns: header.sourceColumns)

    // Big files are cut at record boundaries and parsed on all cores.
    let columns = CSVChunk.Columns(
      fields: header.fields, names: header.names, fileName: fileName, progress: progress)
    progress?.begin("parsing", total: bytes.count - reader.offset)
    let pieces = CSVReader.split(
      bytes, from: reader.offset, line: header.line + 1, parts: parts ?? (bytes.count < 1 << 20 ? 1 : Parallel.cores))
    let chunks = CSVImporter.parse(bytes, pieces, columns, table)
    var merged = try Merged(chunks, catalog: table.pipelines, fileName: fileName, idColumn: header.idColumn)
    let defaultPipeline = table.pipelines.firstLive?.name ?? "sales"
    facts.stageLabels = chunks.flatMap(\.stageLabels)
    merged.catalog = ImportedStages.settle(
      merged.catalog, before: table.pipelines, storeIsEmpty: table.count == 0, used: ImportedStages.used(chunks),
      probabilities: facts.probabilities(defaultPipeline: defaultPipeline))
    // Deals without an id get the next free ones, in file order.
    let deals = PieceAssembly.table(
      chunks, catalog: merged.catalog, firstFreeID: max(table.nextID, merged.idLines.maximum + 1))

    var mutation = Mutation(statement: statement, today: today)
    let events = ImportedEvents(facts: facts, deals: deals, store: table, today: today)
    let split = try ImportUpdate.split(
      deals, into: table, fields: Set(header.fields.compactMap { $0 }), today: today, fileName: fileName,
      movedOn: events.movedOn)
    mutation.inserts = split.inserts
    if let changes = split.changes { mutation.changes = [changes] }
    if merged.catalog != table.pipelines { mutation.pipelines = merged.catalog }
    mutation.stageEvents = events.events(inserts: split.inserts, moves: split.moves)
    mutation.source = facts.source(defaultPipeline: defaultPipeline)
    notices += merged.catalogNotices + header.notices + merged.currencyNotices + Self.notices(split)
    return (
      mutation,
      Report(imported: split.inserts.count, updated: split.updated, unchanged: split.unchanged, notices: notices)
    )
  }

  /// The header row: a field (or nothing) per column, checked for a stage column and
  /// for two columns meaning one field.
  struct Header {
    var fields: [Field?] = []
    var names: [String]
    var line: Int
    var ignored: [String] = []

    init(_ reader: inout CSVReader, fileName: String) throws(DiagnosticError) {
      let record: CSVReader.Record?
      do {
        record = try reader.next()
      } catch {
        let (line, message, help) = error.explanation
        throw CSVImporter.failure(message, fileName, line: line, help: help)
      }
      guard let record else {
        throw DiagnosticError(Diagnostic(.error, "\(fileName) is empty: a header row is required", location: fileName))
      }
      names = record.fields
      line = record.line
      var seen: [Field: String] = [:]
      for (index, name) in names.enumerated() {
        guard let field = ColumnMatcher.field(forHeader: name) else {
          if !name.trimmingCharacters(in: .whitespaces).isEmpty { ignored.append(name) }
          fields.append(nil)
          continue
        }
        if let earlier = seen[field] {
          throw CSVImporter.failure(
            "columns '\(earlier)' and '\(name)' both mean \(field.rawValue)", fileName, line: line, column: index + 1)
        }
        seen[field] = name
        fields.append(field)
      }
      guard seen[.stage] != nil else {
        throw CSVImporter.failure(
          "no stage column", fileName, line: line,
          help: "the header needs a stage column (Stage, Deal Stage); see the template columns in README")
      }
    }

    var idColumn: Int { (fields.firstIndex(of: .id) ?? 0) + 1 }

    /// The file's name for each field it fills, for writing changes back.
    var sourceColumns: [ImportSource.Column] {
      zip(fields, names).compactMap { field, name in field.map { .init(field: $0, header: name) } }
    }

    var notices: [String] {
      ignored.isEmpty
        ? [] : ["ignored unknown \(ignored.count == 1 ? "column" : "columns"): \(ignored.joined(separator: ", "))"]
    }
  }

  /// The pieces merged in file order: the first as it is, each later one re-checked
  /// against what came before it (a duplicate id across pieces, the first bad row), and
  /// the pipelines and stages they add.
  struct Merged {
    var catalog: Pipelines
    var newPipelines: [String] = []
    var newStages: [String: [String]] = [:]
    var idLines = IDLines()
    var currencyFromSymbol = 0

    init(_ chunks: [CSVChunk], catalog: Pipelines, fileName: String, idColumn: Int) throws(DiagnosticError) {
      self.catalog = catalog
      var firstFailure: (line: Int, error: DiagnosticError)?
      for chunk in chunks {
        for (id, line) in zip(chunk.idLines.ids, chunk.idLines.lines) {
          guard let first = idLines.line(of: id) else { continue }
          if firstFailure == nil || line < firstFailure!.line {
            firstFailure = (
              line,
              CSVImporter.failure(
                "duplicate id \(id): line \(first) has it too", fileName, line: line, column: idColumn)
            )
          }
          break
        }
        if let failure = chunk.failure, firstFailure == nil || failure.line < firstFailure!.line {
          firstFailure = failure
        }
        if let firstFailure { throw firstFailure.error }
        for (id, line) in zip(chunk.idLines.ids, chunk.idLines.lines) { idLines.add(id, line: line) }
        for (pipeline, stage) in chunk.discovered { discover(stage, in: pipeline) }
        currencyFromSymbol += chunk.currencyFromSymbol
      }
    }

    private mutating func discover(_ stage: String, in pipelineName: String) {
      guard let pipeline = catalog.pipeline(named: pipelineName) else {
        _ = catalog.addPipeline(named: pipelineName, stages: [stage])
        newPipelines.append(pipelineName)
        return
      }
      if catalog.stage(named: stage, in: pipeline) == nil {
        catalog.addStage(named: stage, to: pipeline)
        if !newPipelines.contains(pipelineName) { newStages[pipelineName, default: []].append(stage) }
      }
    }

    /// New pipelines and stages, as the settled catalog orders them.
    var catalogNotices: [String] {
      var notices: [String] = []
      for name in newPipelines {
        let pipeline = catalog.pipeline(named: name)!
        let stages = catalog.pipelines[Int(pipeline)].stages.map { catalog.stages[Int($0)].name }
        notices.append("new pipeline '\(name)': \(stages.joined(separator: ", "))")
      }
      for (name, stages) in newStages.sorted(by: { $0.key < $1.key }) {
        notices.append("new \(stages.count == 1 ? "stage" : "stages") in '\(name)': \(stages.joined(separator: ", "))")
      }
      return notices
    }

    var currencyNotices: [String] {
      guard currencyFromSymbol > 0 else { return [] }
      return ["took the currency of \(Format.count(currencyFromSymbol)) deals from the symbol in their amount"]
    }
  }

  /// The store's deals an update left alone, told when the file updated some.
  private static func notices(_ split: ImportUpdate.Split) -> [String] {
    guard !split.missing.isEmpty && (split.updated > 0 || split.unchanged > 0) else { return [] }
    let shown = split.missing.prefix(10).map(String.init).joined(separator: ", ")
    return [
      "\(Format.count(split.missing.count)) deals in the store are not in the file and were left alone (ids \(shown)\(split.missing.count > 10 ? ", …" : ""))"
    ]
  }

  static func failure(_ message: String, _ fileName: String, line: Int, column: Int? = nil, help: String? = nil)
    -> DiagnosticError
  {
    let place = column.map { "\(fileName):\(line), column \($0)" } ?? "\(fileName):\(line)"
    return DiagnosticError(Diagnostic(.error, message, location: place, help: help))
  }

  /// Parses the pieces side by side; each writes only its own slot.
  private static func parse(
    _ bytes: [UInt8], _ pieces: [(offset: Int, line: Int)], _ columns: CSVChunk.Columns, _ table: DealTable
  ) -> [CSVChunk] {
    let ends = pieces.dropFirst().map(\.offset) + [bytes.count]
    let chunks = ParallelSlots<CSVChunk>(count: pieces.count)
    // One piece runs on the calling thread.
    DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
      chunks[index] = CSVChunk(
        bytes: bytes, range: pieces[index].offset..<ends[index], line: pieces[index].line, columns: columns,
        table: table, catalog: table.pipelines)
    }
    return pieces.indices.map { chunks[$0] }
  }

  /// CRM exports name the closing stages their own way ("Closed Won", "Cerrado
  /// perdido"): they are the pipeline's won and lost stages.
  static func canonicalStage(_ name: String) -> String { StageWords.outcome(ofStage: name) ?? name }
}

extension String {
  /// Trims spaces, tabs and line breaks; most cells have none, and then the string is
  /// returned as is without going through Foundation.
  var trimmedFast: String {
    let utf8 = self.utf8
    guard let first = utf8.first, let last = utf8.last else { return self }
    func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
    if !isSpace(first) && !isSpace(last) { return self }
    return trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
