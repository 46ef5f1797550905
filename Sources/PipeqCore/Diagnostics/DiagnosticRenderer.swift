/// Words a diagnostic the way compilers do: message, location, the line, a caret.
///
///     error: unknown stage 'wonn' (did you mean 'won'?)
///      --> <command>:1:20
///     1 | list where stage = wonn
///       |                    ^~~~
public enum DiagnosticRenderer {
  public static func render(_ diagnostic: Diagnostic) -> String {
    var out = "\(diagnostic.severity.rawValue): \(diagnostic.message)\n"
    if let source = diagnostic.source, let span = diagnostic.span {
      let (line, column) = source.location(of: span.start)
      out += " --> \(source.name):\(line):\(column)\n"
      let text = source.lineText(line)
      let gutter = String(line)
      let pad = String(repeating: " ", count: gutter.count)
      out += "\(gutter) | \(text)\n"
      let endOnLine = min(span.end, source.lineEndOffset(line))
      let width = max(1, source.slice(Span(span.start, endOnLine)).count)
      let indent = String(displayPrefix(of: text, columns: column - 1))
      out += "\(pad) | \(indent)^\(String(repeating: "~", count: width - 1))\n"
    } else if let location = diagnostic.location {
      out += " --> \(location)\n"
    }
    if let help = diagnostic.help {
      out += "  = help: \(help)\n"
    }
    return out
  }

  /// Blanks that line a caret up under `columns` characters, keeping tabs as tabs.
  private static func displayPrefix(of line: String, columns: Int) -> String {
    String(line.prefix(columns).map { $0 == "\t" ? "\t" : " " })
  }
}
