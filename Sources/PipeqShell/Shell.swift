import PipeqCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs statements from `-c`, scripts and piped input against one engine, writes
/// results in the chosen format and errors with a caret under the offending token.
/// The first error stops the run.
public final class Shell {
  public let engine: Engine
  public var format: OutputFormat
  public var timer = false
  public private(set) var quitRequested = false
  /// Where results go: standard output, or the file named by `.output`.
  var output: TextOutput
  let standardOutput: TextOutput
  let errors: TextOutput
  /// `--keep-going`: an error is reported and the run goes on; it still fails at the end.
  public var keepGoing = false
  public private(set) var failures: [String] = []
  /// How deep `.read` has nested scripts.
  private var readDepth = 0
  /// Set once the whole run was checked (its `.read` scripts with it); until then (the
  /// REPL) a script read with `.read` is checked on its own before it runs.
  var wholeRunChecked = false
  public var tableRenderer = TableRenderer()
  /// The terminal results are read on (the REPL's); nil in scripts and pipes.
  public var screen: Screen?
  /// The bar long work draws on standard error, when that is a terminal.
  public var progressBar: ProgressBar? {
    didSet { engine.startProgress = progressBar.map { bar in { bar.start($0) } } }
  }
  private var wroteResult = false
  /// Asked before a change to more than one deal, with what it would do; nil (scripts,
  /// --yes) means go ahead. Anything but a yes changes nothing. The engine asks it
  /// between working the change out and writing it, so the change is computed once.
  /// Whether the person said no to the change just shown.
  private var declined = false
  public var confirm: ((ActionReport) -> Bool)? {
    didSet { engine.confirm = confirm.map { ask in { [unowned self] report in self.shown(report, ask) } } }
  }
  /// How errors and warnings are worded; the REPL lines the caret up with its prompt.
  public var renderDiagnostic: (Diagnostic) -> String = DiagnosticRenderer.render

  public init(engine: Engine, format: OutputFormat, output: TextOutput, errors: TextOutput) {
    self.engine = engine
    self.format = format
    self.output = output
    self.standardOutput = output
    self.errors = errors
  }

  /// Runs every statement of `source`; false when one failed. All statements are
  /// parsed first, so a syntax error anywhere stops the run before anything changes.
  @discardableResult
  public func run(_ source: SourceText) -> Bool {
    let spans = StatementSplitter.split(source)
    var statements: [(Statement, Span)] = []
    var ok = true
    for span in spans {
      do {
        statements.append((try Parser.parse(source, span: span), span))
      } catch {
        report(error.diagnostic)
        guard keepGoing else { return false }
        failures.append(location(source, span))
        ok = false
      }
    }
    for (statement, span) in statements {
      guard !quitRequested else { break }
      if !execute(statement, source: source, span: span) {
        guard keepGoing else { return false }
        failures.append(location(source, span))
        ok = false
      }
    }
    return outputWritten() && ok
  }

  private func location(_ source: SourceText, _ span: Span) -> String {
    let (line, column) = source.location(of: span.start)
    return "\(source.name):\(line):\(column)"
  }

  /// Runs statements as lines arrive (piped input, the REPL): each statement runs as
  /// soon as it is complete and its output is flushed, so what was printed was done.
  /// Returns false at the first error.
  public func runLines(name: String, next: () -> String?) -> Bool {
    var pending = ""
    var firstLine = 1
    var lineNumber = 0
    var continuation = StatementSplitter.Continuation()
    while !quitRequested, let line = next() {
      lineNumber += 1
      if pending.isEmpty { firstLine = lineNumber }
      pending += pending.isEmpty ? line : "\n" + line
      if continuation.needsMore(after: line) { continue }
      continuation = StatementSplitter.Continuation()
      let source = SourceText(name: name, text: pending, firstLine: firstLine)
      pending = ""
      guard run(source) else { return false }
    }
    if !pending.isEmpty, !quitRequested {
      return run(SourceText(name: name, text: pending, firstLine: firstLine))
    }
    return true
  }

  /// Runs one parsed statement and writes its result; false on error.
  public func execute(_ statement: Statement, source: SourceText, span: Span) -> Bool {
    let started = Clock.now
    defer {
      if timer {
        let elapsed = Clock.now - started
        output.flush()
        errors.write("time: \(Clock.milliseconds(elapsed)) ms\n")
      }
    }
    if case .meta(let command) = statement, let handled = applySetting(command, source: source) {
      return handled
    }
    defer { progressBar?.clear() }
    do {
      declined = false
      let outcome = try engine.execute(statement, source: source, span: span)
      progressBar?.clear()
      if declined {
        output.write("nothing was changed\n")
        output.flush()
        return true
      }
      for warning in outcome.warnings { report(warning) }
      // Tables for people get a blank line between results; CSV and JSON stay dense.
      if format == .table, wroteResult { output.write("\n") }
      write(outcome.result)
      wroteResult = true
      if !outcome.notices.isEmpty { output.flush() }
      for notice in outcome.notices { errors.write("note: \(VisibleText.of(notice))\n") }
      return true
    } catch {
      output.flush()
      report(error.diagnostic)
      return false
    }
  }

  /// Writes a result: on a screen, a long one goes through the pager or is cut to the
  /// row limit; a file, a pipe, CSV and JSON get all of it.
  private func write(_ result: StatementResult) {
    guard let screen, format == .table || format == .line, output === standardOutput else {
      output.write(format.render(result, tableRenderer: tableRenderer))
      return
    }
    let text = format.render(screen.capped(result), tableRenderer: tableRenderer)
    if screen.shouldPage(text), let command = screen.pagerCommand {
      output.flush()
      if Screen.page(text, command: command) { return }
    }
    output.write(text)
  }

  /// Shows what a change would do and asks; true to go ahead.
  private func shown(_ report: ActionReport, _ ask: (ActionReport) -> Bool) -> Bool {
    progressBar?.clear()
    output.write(OutputFormat.table.render(.action(report), tableRenderer: tableRenderer, footer: false))
    output.flush()
    declined = !ask(report)
    return !declined
  }

  /// Dot-commands that change the session rather than the store; nil for the others.
  private func applySetting(_ command: MetaCommand, source: SourceText) -> Bool? {
    switch command {
    case .mode(let name, let span):
      guard let mode = OutputFormat(rawValue: name) else {
        report(.error("unknown mode '\(name)'", at: span, in: source, help: "modes: table, csv, json, line"))
        return false
      }
      format = mode
      return true
    case .now(let text, let span):
      guard let text else {
        output.write("\(engine.options.today)\n")
        return true
      }
      guard let day = Day(iso: text) else {
        report(.error("invalid date '\(text)'", at: span, in: source, help: "dates are written YYYY-MM-DD"))
        return false
      }
      engine.options.today = day
      return true
    case .timer(let on):
      timer = on
      return true
    case .help(let topic):
      output.write(Help.text(topic: topic))
      return true
    case .quit:
      quitRequested = true
      return true
    case .rows(let limit):
      guard let limit else {
        output.write(rowsSetting() + "\n")
        return true
      }
      screen?.rowLimit = limit
      return true
    case .pager(let on):
      guard let on else {
        output.write(pagerSetting() + "\n")
        return true
      }
      screen?.pagerOn = on
      return true
    case .read(let path, let span):
      return read(path, span: span, source: source)
    case .output(let path, let span):
      return redirect(to: path, span: span, source: source)
    case .importFile, .exportFile, .exportChanges, .checkpoint, .exportDefinitions, .setting, .schema:
      return nil
    }
  }

  private func rowsSetting() -> String {
    guard let screen else { return "rows: all (scripts and pipes get every row)" }
    switch screen.rowLimit {
    case .all: return "rows: all"
    case .first(let count): return "rows: \(count) when the pager is off (.rows all shows every row)"
    }
  }

  private func pagerSetting() -> String {
    guard let screen else { return "pager: off (scripts and pipes are never paged)" }
    guard let command = screen.pagerCommand else { return "pager: none found (set $PAGER, or install less)" }
    return screen.pagerOn ? "pager: on (\(command))" : "pager: off"
  }

  /// `.output FILE` (or back to standard output without one). The store's own files are
  /// refused; a file that could not be written in full is an error, never lost quietly.
  private func redirect(to path: String?, span: Span, source: SourceText) -> Bool {
    guard finishOutput() else { return false }
    guard let path else {
      output = standardOutput
      return true
    }
    if engine.database.owns(path) {
      report(
        .error(
          "\(path) is one of the store's own files; writing there would destroy the store", at: span, in: source,
          help: "choose another file name"))
      return false
    }
    guard FileKind(path) != .directory, let file = FileOutput(creating: path) else {
      let reason = FileKind(path) == .directory ? "it is a folder" : String(cString: strerror(errno))
      report(.error("cannot write \(path): \(reason)", at: span, in: source))
      return false
    }
    output = file
    return true
  }

  /// Flushes what was written; false (with the error reported) when it could not all
  /// be written. A `.output` file is closed.
  public func finishOutput() -> Bool {
    if let file = output as? FileOutput, file !== standardOutput { _ = file.finish() }
    return outputWritten()
  }

  /// The failure last reported, so a full disk is said once, not after every statement.
  private var reportedFailure: String?

  /// Flushes results; false (reported once) when they could not all be written.
  func outputWritten() -> Bool {
    output.flush()
    guard let failure = output.failure else { return true }
    if reportedFailure != failure {
      reportedFailure = failure
      errors.write(renderDiagnostic(.error(failure)))
    }
    return false
  }

  /// `.read FILE`: runs a script's statements here, errors located in that file.
  private func read(_ path: String, span: Span, source: SourceText) -> Bool {
    guard readDepth < 16 else {
      report(.error("scripts read each other too deeply", at: span, in: source))
      return false
    }
    let bytes: [UInt8]
    do {
      bytes = try PosixFileSystem.shared.read(path)
    } catch {
      report(.error(error.description, at: span, in: source))
      return false
    }
    let script = SourceText(name: path, script: bytes)
    if !wholeRunChecked, readDepth == 0 {
      guard check([script]) else { return false }
      wholeRunChecked = false
    }
    readDepth += 1
    defer { readDepth -= 1 }
    return run(script)
  }

  /// Writes an error or a warning; its words (which quote names from files and deals)
  /// are shown with control characters made visible.
  func report(_ diagnostic: Diagnostic) {
    progressBar?.clear()
    output.flush()
    var shown = diagnostic
    shown.message = VisibleText.of(diagnostic.message)
    shown.help = diagnostic.help.map { VisibleText.of($0) }
    errors.write(renderDiagnostic(shown))
  }
}

/// Monotonic wall time for `.timer`.
enum Clock {
  static var now: UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }

  static func milliseconds(_ nanoseconds: UInt64) -> String {
    let hundredths = (nanoseconds + 5_000) / 10_000
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}
