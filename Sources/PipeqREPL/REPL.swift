import CLibedit
import PipeqCore
import PipeqShell

#if canImport(Glibc)
  import Glibc
#endif

/// The interactive session: a prompt, statements that may span lines, history, Tab
/// completion, a confirmation before changing many deals, and errors pointed at in
/// the line the user typed.
public final class REPL {
  let shell: Shell
  let reader: LineReader
  let color: Bool
  public static let prompt = "pipeq> "
  public static let continuationPrompt = "  ...> "

  public init(shell: Shell, reader: LineReader, color: Bool, askBeforeBulkChanges: Bool) {
    self.shell = shell
    self.reader = reader
    self.color = color
    shell.tableRenderer = REPL.renderer(color: color)
    shell.screen = Screen(height: Terminal.height, pagerCommand: Terminal.pager())
    if askBeforeBulkChanges {
      shell.confirm = { [unowned reader] _ in
        switch reader.readLine(prompt: "Proceed? [y/N] ") {
        case .line(let answer): return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        case .interrupted, .end: return false
        }
      }
    }
  }

  /// Runs until Ctrl-D or `.quit`; the exit status is 0.
  public func run() -> Int32 {
    let table = shell.engine.database.table
    let store = shell.engine.database.path ?? "memory"
    print(
      "pipeq \(Version.current): \(Format.count(table.count)) deals in \(store). Type help for help, Ctrl-D or exit to leave."
    )
    var buffer = ""
    while !shell.quitRequested {
      LibeditLineReader.completer = Completer(
        vocabulary: .init(table: shell.engine.database.table), listFolder: REPL.listFolder,
        readHeaders: REPL.readHeaders)
      switch reader.readLine(prompt: buffer.isEmpty ? REPL.prompt : REPL.continuationPrompt) {
      case .end:
        return 0
      case .interrupted:
        buffer = ""
      case .line(let line):
        buffer += buffer.isEmpty ? line : "\n" + line
        if StatementSplitter.needsMore(buffer) { continue }
        let entry = buffer
        buffer = ""
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
        reader.remember(entry)
        let singleLine = !entry.contains("\n")
        shell.renderDiagnostic = { [color] diagnostic in
          REPL.render(diagnostic, promptWidth: singleLine ? REPL.prompt.count : nil, color: color)
        }
        // Ctrl-C while a statement runs refuses its change and skips what follows.
        _ = pq_take_interrupt()
        // The width now, not when the prompt was drawn: a resize while typing counts.
        shell.tableRenderer.maxWidth = Terminal.width()
        shell.engine.isCancelled = { pq_peek_interrupt() != 0 }
        shell.run(SourceText(name: "<input>", text: entry))
        shell.engine.isCancelled = { false }
      }
    }
    return 0
  }

  /// For a one-line statement the caret goes under the token in the line as typed,
  /// right below the prompt; otherwise the usual `--> file:line:col` form.
  static func render(_ diagnostic: Diagnostic, promptWidth: Int?, color: Bool) -> String {
    let label = color ? Colors.severity(diagnostic.severity) : diagnostic.severity.rawValue
    guard let promptWidth, let source = diagnostic.source, let span = diagnostic.span,
      source.lineIndex(ofOffset: span.start) == 0
    else {
      var text = DiagnosticRenderer.render(diagnostic)
      if color, let colon = text.firstIndex(of: ":") { text = label + text[colon...] }
      return text
    }
    let (_, column) = source.location(of: span.start)
    let width = max(1, source.slice(Span(span.start, min(span.end, source.bytes.count))).count)
    let caret = String(repeating: " ", count: promptWidth + column - 1) + "^" + String(repeating: "~", count: width - 1)
    var out = (color ? Colors.wrap(caret, Colors.red) : caret) + "\n"
    out += "\(label): \(diagnostic.message)\n"
    if let help = diagnostic.help { out += "  = help: \(help)\n" }
    return out
  }

  static func renderer(color: Bool) -> TableRenderer {
    var renderer = TableRenderer(maxWidth: Terminal.width())
    if color {
      renderer.decorate = { column, value, text in
        guard column == "stage" || column == "status", case .text(let name) = value else { return text }
        switch name.lowercased() {
        case "won": return Colors.wrap(text, Colors.green)
        case "lost": return Colors.wrap(text, Colors.red)
        default: return column == "status" ? Colors.wrap(text, Colors.cyan) : text
        }
      }
    }
    return renderer
  }

  /// The header cells of a CSV file, from its first 64 KiB (none for a file that is not
  /// there or not regular).
  static func readHeaders(_ path: String) -> [String] {
    guard FileKind(path) == .regular, let handle = fopen(path, "rb") else { return [] }
    defer { fclose(handle) }
    var bytes = [UInt8](repeating: 0, count: 64 << 10)
    let count = fread(&bytes, 1, bytes.count, handle)
    return CSVHeaders.of(Array(bytes.prefix(count)))
  }

  static func listFolder(_ folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      var name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name == "." || name == ".." { continue }
      if entry.pointee.d_type == UInt8(DT_DIR) { name += "/" }
      names.append(name)
    }
    return names.sorted()
  }

  /// `$XDG_STATE_HOME/pipeq/history`, else `~/.local/state/pipeq/history`; folders 0700.
  public static func historyPath() -> String? {
    let environment = { (name: String) -> String? in
      getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
    let base: String
    if let state = environment("XDG_STATE_HOME") {
      base = state
    } else if let home = environment("HOME") {
      base = home + "/.local/state"
    } else {
      return nil
    }
    var path = ""
    for part in (base + "/pipeq").split(separator: "/") {
      path += "/" + part
      mkdir(path, 0o700)
    }
    return path + "/history"
  }
}

/// ANSI colours, used only when colour is wanted.
enum Colors {
  static let red = "31"
  static let green = "32"
  static let yellow = "33"
  static let cyan = "36"

  static func wrap(_ text: String, _ code: String) -> String { "\u{1B}[\(code)m\(text)\u{1B}[0m" }

  static func severity(_ severity: Diagnostic.Severity) -> String {
    switch severity {
    case .error: return wrap("error", "1;" + red)
    case .warning: return wrap("warning", "1;" + yellow)
    case .note: return wrap("note", "1;" + cyan)
    }
  }
}
