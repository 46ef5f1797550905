import Foundation

/// Runs statements against a database: plan (every check), then read or compute the
/// change, then commit. Knows nothing of terminals; the shell renders what it returns.
public final class Engine {
  public struct Options: Sendable {
    public var today: Day
    public var dryRun: Bool
    /// Checking a script before it runs, on a scratch store in memory: changes are made
    /// there (later statements see them), reads and exports are planned but not run.
    public var checking: Bool
    public init(today: Day, dryRun: Bool = false, checking: Bool = false) {
      self.today = today
      self.dryRun = dryRun
      self.checking = checking
    }
  }

  public struct Outcome: Sendable {
    public var result: StatementResult
    public var warnings: [Diagnostic]
    /// Facts worth telling that are not the result (new stages from an import).
    public var notices: [String]
  }

  public let database: Database
  public var options: Options
  /// Makes the progress of a long statement (an import, an export, a checkpoint) for
  /// whoever shows it; nil shows none.
  public var startProgress: ((_ task: String) -> WorkProgress)?
  /// Files read by `.import` and written by `.export`.
  public var fileSystem: FileSystem = PosixFileSystem.shared
  /// Asked just before a change is written: true (Ctrl-C in the REPL) refuses it.
  public var isCancelled: () -> Bool = { false }
  /// Shown a change that asks (more than one deal, a saved query replaced), in its
  /// preview wording, before it is written: false keeps the store as it is. The
  /// interactive session's `Proceed? [y/N]`; nil writes without asking.
  public var confirm: ((ActionReport) -> Bool)?

  public init(database: Database, options: Options) {
    self.database = database
    self.options = options
  }

  /// Files a checked script's exports would have written (resolved paths): a later
  /// `.import` or `.read` of one cannot be checked before it exists, so it is not.
  public var writtenWhileChecking: Set<String> = []

  /// Script parameters (`--set name=value`), used for `$name`.
  public var parameters: [String: String] = [:]

  /// Runs one statement parsed from `span` of `source`.
  public func execute(_ statement: Statement, source: SourceText, span: Span) throws(DiagnosticError)
    -> Outcome
  {
    try execute(statement, source: source, span: span, depth: 0)
  }

  func execute(_ parsed: Statement, source: SourceText, span: Span, depth: Int) throws(DiagnosticError)
    -> Outcome
  {
    let statement =
      depth == 0 ? try Parameters(values: Parameters.parse(parameters), source: source).statement(parsed) : parsed
    let text = source.slice(span).trimmingCharacters(in: .whitespacesAndNewlines)
    switch statement {
    case .meta(let command):
      return try executeMeta(command, source: source, text: text)
    case .history(let limit):
      return Outcome(result: .table(try historyTable(limit: limit)), warnings: [], notices: [])
    case .undo(let target):
      return try undo(target, source: source, text: text)
    case .redo:
      return try redo(source: source, span: span, text: text)
    case .log(let id, let idSpan):
      let external = database.table.row(of: id).flatMap { database.table.text(.externalID, at: $0) } ?? ""
      return Outcome(
        result: .table(try log(dealID: id, span: idSpan, source: source)), warnings: [],
        notices: external.isEmpty ? [] : ["deal \(id) is \(VisibleText.of(external)) in its CRM (external_id)"])
    case .define(let name, let body, let bodySpan):
      return try define(name, body: body, bodySpan: bodySpan, source: source, text: text)
    case .undefine(let name):
      return try undefine(name, source: source, text: text)
    case .defs:
      return Outcome(result: .table(definitionsTable()), warnings: [], notices: [])
    case .call(let name, let arguments):
      return try call(name, arguments: arguments, source: source, depth: depth)
    case .addDeal(let add):
      return try addDeal(add, source: source, span: span, text: text)
    case .pipelines:
      return Outcome(result: .table(pipelinesTable()), warnings: [], notices: [])
    case .shape(let change):
      return try shape(change, source: source, span: span, text: text)
    case .list, .count, .aggregate, .ranked, .close, .move, .set, .tag, .untag, .delete, .explain, .report, .asOf,
      .show:
      return try runPlanned(statement, source: source, span: span, text: text)
    }
  }

  /// The statements the planner checks and turns into a plan: reads, reports and bulk
  /// actions (and `explain` of them).
  private func runPlanned(_ statement: Statement, source: SourceText, span: Span, text: String)
    throws(DiagnosticError) -> Outcome
  {
    var (plan, planWarnings) = try makePlan(statement, source: source, span: span, text: text)
    var warnings = planWarnings
    let result: StatementResult
    // A read on the past runs on a reconstructed table. (Nothing else keeps a copy of the
    // table here: an action's commit must find the columns unshared to change them in place.)
    var past: DealTable?
    if case .asOf(_, let day) = plan { (plan, past) = try planOnThePast(day, statement, source, span, text) }
    if options.checking, !plan.changes {
      return Outcome(result: .message(""), warnings: warnings, notices: [])
    }
    switch plan {
    case .explain(let inner):
      result = .plan(inner.description)
    case .list(let list):
      result = .table(Executor.run(list, on: past ?? database.table, today: options.today))
    case .report(let report):
      result = .report(Reports.run(report, on: past ?? database.table, today: options.today))
    case .show(let show):
      result = .report(try self.show(show))
    case .aggregate(let aggregate):
      let (grouped, currencies) = Executor.run(aggregate, on: past ?? database.table, today: options.today)
      if let warning = Engine.mixedCurrencies(aggregate, currencies) { warnings.append(warning) }
      result = .table(grouped)
    case .action(let action):
      let (mutation, report) = try resolve(action, source: source)
      guard try write([mutation], asking: report) else { return Engine.declined }
      result = .action(report)
    case .asOf:
      throw DiagnosticError(.error("as of applies once, to a list, count or aggregate"))
    }
    return Outcome(result: result, warnings: warnings, notices: [])
  }

  /// The one place a worked-out change is written — never in a dry run. With `confirm`
  /// set, a change that asks is shown first (in its preview wording) and written only on
  /// yes; false means the person said no and nothing was written. The change is
  /// computed once: what is shown is what is written.
  func write(
    _ mutations: [Mutation], kind: JournalRecord.Kind = .action, targets: [UInt64] = [], asking report: ActionReport?
  ) throws(DiagnosticError) -> Bool {
    guard !options.dryRun else { return true }
    if let report, report.asks, let confirm {
      var preview = report
      preview.dryRun = true
      guard confirm(preview) else { return false }
    }
    try checkNotCancelled()
    try database.commit(mutations, kind: kind, targets: targets)
    return true
  }

  /// What a change the person declined returns.
  static let declined = Outcome(result: .message("nothing was changed"), warnings: [], notices: [])

  /// A read `as of` a day: planned again on the table as it stood then, whose catalog can
  /// hold an `(earlier stage)` that stage and status tests must know.
  private func planOnThePast(_ day: Day, _ statement: Statement, _ source: SourceText, _ span: Span, _ text: String)
    throws(DiagnosticError) -> (Plan, DealTable)
  {
    let reconstructed = database.table.asOf(day)
    var planner = Planner(table: reconstructed, today: options.today, source: source, statementSpan: span)
    guard case .asOf(let inner, _) = try planner.makePlan(for: statement, text: text) else {
      throw DiagnosticError(.error("as of applies once, to a list, count or aggregate"))
    }
    return (inner, reconstructed)
  }

  /// A sum or an average over several currencies adds them as if they were one: said,
  /// with the way out.
  private static func mixedCurrencies(_ aggregate: AggregatePlan, _ currencies: [String]) -> Diagnostic? {
    guard currencies.count > 1, aggregate.function != .count,
      !aggregate.groups.contains(where: { $0.field == .currency })
    else { return nil }
    let verb = [.sum, .avg].contains(aggregate.function) ? "added" : "compared"
    let names = currencies.map { $0.isEmpty ? "none" : $0 }.joined(separator: ", ")
    return Diagnostic(
      .warning, "values are in \(currencies.count) currencies (\(names)) and were \(verb) as if they were one",
      help: "add `by currency` or a filter such as `currency = \(currencies.last!)`")
  }

  func checkNotCancelled() throws(DiagnosticError) {
    if isCancelled() { throw DiagnosticError(.error("cancelled (Ctrl-C); nothing was changed")) }
  }

  private func makePlan(_ statement: Statement, source: SourceText, span: Span, text: String)
    throws(DiagnosticError) -> (Plan, [Diagnostic])
  {
    var planner = Planner(table: database.table, today: options.today, source: source, statementSpan: span)
    let plan = try planner.makePlan(for: statement, text: text)
    return (plan, planner.warnings)
  }

  /// Computes an action's change in its own scope, so no copy of the table outlives it:
  /// the commit then updates the columns in place instead of copying them.
  private func resolve(_ action: ActionPlan, source: SourceText) throws(DiagnosticError) -> (Mutation, ActionReport) {
    let executor = ActionExecutor(table: database.table, today: options.today, source: source)
    return try executor.mutation(for: action, dryRun: options.dryRun)
  }

  private func executeMeta(_ command: MetaCommand, source: SourceText, text: String) throws(DiagnosticError)
    -> Outcome
  {
    switch command {
    case .importFile(let path, let span, let importOptions):
      if options.checking && writtenWhileChecking.contains(resolvedPath(path)) {
        return Outcome(result: .message(""), warnings: [], notices: [])
      }
      let bytes: [UInt8]
      do throws(FileError) {
        bytes = try fileSystem.read(path)
      } catch {
        throw DiagnosticError(.error(error.description, at: span, in: source))
      }
      var importer = CSVImporter(table: database.table, today: options.today)
      let progress = options.checking ? nil : startProgress?("importing \(path)")
      importer.progress = progress
      let (mutation, report) = try importer.makeMutation(
        bytes: bytes, fileName: path, statement: text, options: importOptions)
      func summary(_ dryRun: Bool) -> String {
        let deals = "\(Format.count(report.imported)) \(report.imported == 1 ? "deal" : "deals") from \(path)"
        let updates =
          report.updated > 0 || report.unchanged > 0
          ? ", \(dryRun ? "would update" : "updated") \(Format.count(report.updated)), \(Format.count(report.unchanged)) unchanged"
          : ""
        return (dryRun ? "would import " : "imported ") + deals + updates
      }
      let action = ActionReport(
        action: "import", changed: report.imported + report.updated, unchanged: report.unchanged,
        dryRun: options.dryRun, wording: .init(preview: summary(true), done: summary(false)),
        preview: ResultTable(columns: [], rows: []))
      progress?.begin("saving", total: 1)
      guard try write([mutation], kind: .importFile, asking: action) else { return Engine.declined }
      progress?.advance(by: 1)
      return Outcome(result: .action(action), warnings: [], notices: report.notices)
    case .exportFile(let path, let span, let filter, let raw):
      return try export(to: path, span: span, filter: filter, raw: raw, source: source)
    case .exportChanges(let since, let path, let span, let raw):
      return try exportChanges(since: since, to: path, span: span, raw: raw, source: source)
    case .exportDefinitions(let path, let span):
      return try exportDefinitions(to: path, span: span, source: source)
    case .setting(let kind, let words, let span):
      return try setting(kind, words: words, span: span, source: source, text: text)
    case .checkpoint:
      guard database.path != nil else {
        return Outcome(result: .message("the store is in memory: there is no file to write"), warnings: [], notices: [])
      }
      guard !options.dryRun && !options.checking else {
        return Outcome(result: .message("would write a checkpoint"), warnings: [], notices: [])
      }
      guard try database.checkpoint(progress: startProgress?("checkpoint")) else {
        return Outcome(
          result: .message("the checkpoint will be written when the --atomic run is kept"), warnings: [], notices: [])
      }
      return Outcome(result: .message("checkpoint written at record #\(database.sequence)"), warnings: [], notices: [])
    case .schema(let kind):
      return Outcome(result: .table(try fieldsTable(kind: kind, source: source)), warnings: [], notices: [])
    default:
      throw DiagnosticError(.error("this command is run by the shell, not the engine"))
    }
  }
}
