import ArgumentParser
import Foundation
import PipeqCore
import PipeqREPL
import PipeqShell

/// The `pipeq` command: parses arguments and hands statements to the shell.
@main
struct Pipeq: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeq",
    abstract: "Query and act on a sales pipeline.",
    discussion: "Runs -c statements, then SCRIPT; with neither, reads statements from standard input.",
    version: Version.current)

  @Option(
    help: "The store file (created by the first change); :memory: keeps deals in memory only, nothing is written.")
  var db = "pipeline.pipeq"

  @Option(help: ArgumentHelp("The date `today` means, YYYY-MM-DD (default: the local date).", valueName: "date"))
  var now: String?

  @Option(help: "Output format: table, csv, json or line (default: table on a terminal, csv otherwise).")
  var format: OutputFormat?

  @Flag(help: "Show what bulk actions would change; change nothing.")
  var dryRun = false

  @Flag(help: "Open the store for reading only, even while another pipeq writes to it.")
  var readOnly = false

  @Flag(help: "Change many deals without asking first (the interactive prompt asks by default).")
  var yes = false

  @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
  var color = "auto"

  @Option(name: .customLong("set"), help: ArgumentHelp("A script parameter, used as $NAME.", valueName: "name=value"))
  var parameters: [String] = []

  @Flag(help: "Go on after an error; exit non-zero at the end with a summary.")
  var keepGoing = false

  @Flag(help: "Run everything as one change: if any statement fails, none of the changes stay.")
  var atomic = false

  @Flag(help: "Open a damaged store by cutting the damage off its journal; what is cut is shown and kept aside.")
  var recover = false

  @Flag(
    help:
      "Run piped statements one by one as they arrive (a feed), instead of reading standard input whole as one script."
  )
  var stream = false

  @Option(name: .customShort("c"), help: ArgumentHelp("A statement to run (repeatable).", valueName: "statement"))
  var commands: [String] = []

  @Argument(help: "A script of statements (.pq).")
  var script: String?

  func validate() throws {
    for parameter in parameters where !parameter.contains("=") {
      throw ValidationError("--set takes name=value, as in --set period=2026-10")
    }
    guard ["auto", "always", "never"].contains(color) else {
      throw ValidationError("--color takes auto, always or never")
    }
    if stream && (atomic || keepGoing) {
      throw ValidationError(
        "--stream runs each statement on its own as it arrives; --atomic and --keep-going need the whole script")
    }
    if let now, Day(iso: now) == nil {
      throw ValidationError("--now '\(now)' is not a date: use YYYY-MM-DD")
    }
  }

  func run() throws {
    let stdout = FileOutput(fd: 1)
    let stderr = FileOutput(fd: 2)
    let today = now.flatMap { Day(iso: $0) } ?? LocalDate.today()
    // A file-size limit must fail the write (and the statement), not kill pipeq.
    signal(SIGXFSZ, SIG_IGN)
    var sources: [SourceText] = commands.map { SourceText(name: "<command>", text: $0) }
    if let script { sources.append(try read(script, stderr)) }
    let interactive = sources.isEmpty && isatty(0) == 1
    if sources.isEmpty && !interactive && !stream { sources.append(try read("/dev/stdin", stderr, name: "<stdin>")) }
    // A run that only reads creates no store where there is none.
    let createsStore =
      interactive || stream || FileKind(db) != .missing || sources.contains { ChangeFinder.mayChange($0) }
    let database = try openDatabase(stderr, creating: createsStore)
    // Whatever way the run ends, the store is closed cleanly: from then on a short or
    // damaged journal tail is damage, not a crash.
    defer { database.close() }
    let engine = Engine(database: database, options: .init(today: today, dryRun: dryRun))
    for parameter in parameters {
      let parts = parameter.split(separator: "=", maxSplits: 1)
      engine.parameters[String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: "$"))] =
        parts.count > 1 ? String(parts[1]) : ""
    }
    let shell = Shell(
      engine: engine, format: format ?? (stdout.isTerminal ? .table : .csv), output: stdout, errors: stderr)
    // Long work shows a bar on standard error when that is a terminal, never in a pipe.
    if isatty(2) == 1 { shell.progressBar = ProgressBar(width: { Terminal.width(of: 2) }) }
    // Tables printed on a terminal fit it, whatever runs them.
    if stdout.isTerminal { shell.tableRenderer.maxWidth = Terminal.width() }
    if interactive { throw ExitCode(try self.interactive(shell, stderr)) }
    if sources.isEmpty {
      let ok = shell.runLines(name: "<stdin>") { readLine(strippingNewline: true) }
      if !shell.finishOutput() || !ok { throw ExitCode(1) }
      return
    }
    if !runScripts(sources, shell: shell, database: database, stderr: stderr) { throw ExitCode(1) }
  }

  private func openDatabase(_ stderr: FileOutput, creating: Bool) throws -> Database {
    let checkpointBytes = ProcessInfo.processInfo.environment["PIPEQ_CHECKPOINT_BYTES"].flatMap { Int($0) } ?? 8 << 20
    if !creating, db != Database.memoryName, FileKind(db) == .missing {
      stderr.write(
        "note: there is no store at \(VisibleText.of(db)); nothing was created (the first change creates it)\n")
      return Database()
    }
    do {
      let database =
        db == Database.memoryName
        ? Database()
        : try Database(path: db, readOnly: readOnly, recover: recover, checkpointBytes: checkpointBytes)
      for notice in database.openNotices { stderr.write("note: \(VisibleText.of(notice))\n") }
      return database
    } catch {
      stderr.write(DiagnosticRenderer.render(error.diagnostic))
      throw ExitCode(1)
    }
  }

  /// A script file, or all of standard input, as one source (bounded: a device such as
  /// /dev/zero ends in an error, not in memory running out).
  private func read(_ path: String, _ stderr: FileOutput, name: String? = nil) throws -> SourceText {
    do {
      return SourceText(name: name ?? path, script: try PosixFileSystem.shared.read(path))
    } catch {
      stderr.write("error: cannot read script: \(error.description)\n")
      throw ExitCode(1)
    }
  }

  private func interactive(_ shell: Shell, _ stderr: FileOutput) throws -> Int32 {
    guard let reader = LibeditLineReader(historyPath: REPL.historyPath()) else {
      stderr.write("pipeq: cannot start line editing (libedit)\n")
      throw ExitCode(1)
    }
    let repl = REPL(
      shell: shell, reader: reader, color: Terminal.wantsColor(option: color), askBeforeBulkChanges: !yes && !dryRun)
    return repl.run()
  }

  /// Runs the sources in order as one script run; false when anything failed.
  private func runScripts(_ sources: [SourceText], shell: Shell, database: Database, stderr: FileOutput) -> Bool {
    shell.keepGoing = keepGoing
    if atomic { database.beginBatch() }
    var ok = shell.check(sources)
    for source in sources where ok || keepGoing {
      ok = shell.run(source) && ok
      if shell.quitRequested { break }
    }
    ok = shell.finishOutput() && ok
    if atomic {
      if ok {
        do {
          try database.commitBatch(statement: "atomic run of " + (script ?? "-c statements"))
        } catch {
          stderr.write(DiagnosticRenderer.render(error.diagnostic))
          ok = false
        }
      } else {
        database.abortBatch()
        stderr.write("error: --atomic: a statement failed, so none of the changes were kept\n")
      }
    }
    if !shell.failures.isEmpty {
      let count = shell.failures.count
      stderr.write(
        "\(count) \(count == 1 ? "statement" : "statements") failed: \(shell.failures.joined(separator: ", "))\n")
    }
    return ok
  }
}

extension OutputFormat: ExpressibleByArgument {}

/// The local calendar date, for when --now is not given.
enum LocalDate {
  static func today() -> Day {
    var seconds = time(nil)
    var parts = tm()
    localtime_r(&seconds, &parts)
    return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
  }
}
