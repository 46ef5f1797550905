/// A checked filter with every name resolved: stage names to stage ids, relative dates
/// to day numbers, text to dictionary lookups. Negations are complements, so empty
/// values fail every positive test and pass every negated one.
public indirect enum FilterPlan: Sendable, Equatable {
  case all
  case and(FilterPlan, FilterPlan)
  case or(FilterPlan, FilterPlan)
  case not(FilterPlan)
  /// Deals whose stage id is in the set (stage, pipeline and status tests).
  case stages(Set<UInt16>, label: String)
  /// Case-folded text equal to one of the values.
  case textIn(Field, [String])
  /// Case-folded text containing the needle.
  case textContains(Field, String)
  /// Deals carrying one of the tags (case-folded).
  case tagIn([String])
  case tagContains(String)
  /// A closed interval over ids, cents or day numbers; `label` is how the user said it.
  case range(Field, ClosedRange<Int64>, label: String)
  case points(Field, Set<Int64>, label: String)
  case isEmpty(Field)
}

extension FilterPlan: CustomStringConvertible {
  /// The readable form `explain` prints: negations spelled out, dates absolute.
  public var description: String { render(parent: 0) }

  private func render(parent: Int) -> String {
    switch self {
    case .all: return "all deals"
    case .or(let a, let b):
      let text = "\(a.render(parent: 1)) or \(b.render(parent: 1))"
      return parent > 1 ? "(\(text))" : text
    case .and(let a, let b):
      let text = "\(a.render(parent: 2)) and \(b.render(parent: 2))"
      return parent > 2 ? "(\(text))" : text
    case .not(let inner): return "not (\(inner.render(parent: 0)))"
    case .stages(_, let label): return label
    case .textIn(let field, let values):
      if values.count == 1 { return "\(field.rawValue) = \(quote(values[0]))" }
      return "\(field.rawValue) in (\(values.map(quote).joined(separator: ", ")))"
    case .textContains(let field, let needle): return "\(field.rawValue) ~ \(quote(needle))"
    case .tagIn(let tags):
      if tags.count == 1 { return "tags has \(quote(tags[0]))" }
      return "tags has any of (\(tags.map(quote).joined(separator: ", ")))"
    case .tagContains(let needle): return "a tag ~ \(quote(needle))"
    case .range(_, _, let label), .points(_, _, let label): return label
    case .isEmpty(let field): return "\(field.rawValue) is empty"
    }
  }

  private func quote(_ text: String) -> String { "'\(text)'" }
}
