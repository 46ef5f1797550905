import PipeqCore

/// Checks a script run whole before any of it runs, so a typo on line 40 stops it before
/// line 1 changes anything. Every statement is parsed and planned against the store as
/// the statements before it leave it: on a scratch copy in memory, where changes are
/// made (a `define`, an import's new stages, a close are there for what follows) and
/// nothing is written; reads and exports are planned, not run.
struct ScriptChecker {
  private let engine: Engine
  private let report: (Diagnostic) -> Void
  private var readDepth = 0

  init(checking real: Engine, report: @escaping (Diagnostic) -> Void) {
    let scratch = Engine(
      database: Database(scratchOf: real.database),
      options: .init(today: real.options.today, dryRun: false, checking: true))
    scratch.parameters = real.parameters
    scratch.fileSystem = real.fileSystem
    self.engine = scratch
    self.report = report
  }

  /// Parses every statement of `sources`; nil (the error reported) at the first that
  /// does not parse.
  static func parse(_ sources: [SourceText], report: (Diagnostic) -> Void) -> [(SourceText, Statement, Span)]? {
    var statements: [(SourceText, Statement, Span)] = []
    for source in sources {
      for span in StatementSplitter.split(source) {
        do {
          statements.append((source, try Parser.parse(source, span: span), span))
        } catch {
          report(error.diagnostic)
          return nil
        }
      }
    }
    return statements
  }

  /// True when every statement would run; the first that would not is reported.
  mutating func check(_ statements: [(SourceText, Statement, Span)]) -> Bool {
    for (source, statement, span) in statements {
      switch checkOne(statement, source: source, span: span) {
      case .fine: continue
      case .stop: return true
      case .failed: return false
      }
    }
    return true
  }

  private enum Verdict { case fine, stop, failed }

  private mutating func checkOne(_ statement: Statement, source: SourceText, span: Span) -> Verdict {
    if case .meta(let command) = statement {
      switch command {
      case .quit: return .stop
      case .timer, .help, .rows, .pager, .schema: return .fine
      case .mode(let name, let span):
        guard OutputFormat(rawValue: name) == nil else { return .fine }
        report(.error("unknown mode '\(name)'", at: span, in: source, help: "modes: table, csv, json"))
        return .failed
      case .now(let text, _):
        if let text, let day = Day(iso: text) { engine.options.today = day }
        return .fine
      case .read(let path, let span): return checkScript(path, span: span, source: source)
      case .output(let path, let span):
        if let path { engine.writtenWhileChecking.insert(resolvedPath(path)) }
        guard let path, engine.database.owns(path) else { return .fine }
        report(
          .error(
            "\(path) is one of the store's own files; writing there would destroy the store", at: span, in: source,
            help: "choose another file name"))
        return .failed
      default: break
      }
    }
    do {
      _ = try engine.execute(statement, source: source, span: span)
      return .fine
    } catch {
      report(error.diagnostic)
      return .failed
    }
  }

  /// `.read FILE` inside a script: its statements are checked where it is read.
  private mutating func checkScript(_ path: String, span: Span, source: SourceText) -> Verdict {
    guard readDepth < 16, !engine.writtenWhileChecking.contains(resolvedPath(path)) else { return .fine }
    let bytes: [UInt8]
    do {
      bytes = try PosixFileSystem.shared.read(path)
    } catch {
      report(.error(error.description, at: span, in: source))
      return .failed
    }
    readDepth += 1
    defer { readDepth -= 1 }
    guard let statements = ScriptChecker.parse([SourceText(name: path, script: bytes)], report: report) else {
      return .failed
    }
    return check(statements) ? .fine : .failed
  }
}

extension Shell {
  /// Checks the sources of one run whole before any statement runs (see ScriptChecker);
  /// false, with the first problem reported, when one would fail. With --keep-going each
  /// statement stands alone, and a single statement is checked as it runs anyway.
  public func check(_ sources: [SourceText]) -> Bool {
    guard !keepGoing else { return true }
    defer { wholeRunChecked = true }
    guard let statements = ScriptChecker.parse(sources, report: report) else { return false }
    let reads = statements.contains {
      if case .meta(.read) = $0.1 { return true }
      return false
    }
    guard statements.count > 1 || reads else { return true }
    var checker = ScriptChecker(checking: engine, report: report)
    return checker.check(statements)
  }
}
