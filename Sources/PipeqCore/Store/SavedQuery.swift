/// A saved filter or statement, parsed once when it is set — by `define`, or when the
/// journal or the snapshot is read back — not each time it is used. A text that no
/// longer parses as its kind keeps its error, and using it is that error.
public struct SavedQuery: Sendable {
  public let name: String
  public let text: String
  public let kind: SavedQueryKind
  /// The text as a source of its own: an error in it points inside the definition.
  let source: SourceText
  private let parsed: Result<Parsed, DiagnosticError>

  private enum Parsed {
    case filter(FilterExpr)
    case statement(Statement)
  }

  init(name: String, text: String) {
    self.name = name
    self.text = text
    kind = SavedQueryKind(body: text)
    let source = SourceText(name: kind == .filter ? "saved filter '\(name)'" : "saved query '\(name)'", text: text)
    self.source = source
    do throws(DiagnosticError) {
      switch kind {
      case .filter: parsed = .success(.filter(try Parser.parseFilter(source, span: Span(0, source.bytes.count))))
      case .statement: parsed = .success(.statement(try Parser.parse(source)))
      }
    } catch {
      parsed = .failure(error)
    }
  }

  /// The saved filter; nil for a statement; its parse error when its text has one.
  func filter() throws(DiagnosticError) -> FilterExpr? {
    if case .filter(let filter) = try parsed.get() { return filter }
    return nil
  }

  /// The saved statement; nil for a filter; its parse error when its text has one.
  func statement() throws(DiagnosticError) -> Statement? {
    if case .statement(let statement) = try parsed.get() { return statement }
    return nil
  }
}
