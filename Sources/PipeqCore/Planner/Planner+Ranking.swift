extension Planner {
  /// An aggregate's plan with its groups ranked: `order by` names the figure (`count`,
  /// `sum`, …) or one of the groups.
  mutating func ranked(_ plan: Plan, order: [OrderTerm], limit: Int?) throws(DiagnosticError) -> Plan {
    guard case .aggregate(var aggregate) = plan else {
      throw error(
        "order by and limit rank the groups of a count or an aggregate", order.first?.field.span ?? Span(0, 0))
    }
    if let extra = order.dropFirst().first {
      throw error("groups are ranked by one column", extra.field.span, help: "order by one of them")
    }
    var column = aggregate.groups.count
    if let term = order.first {
      let name = term.field.text.lowercased()
      let groupNames = aggregate.groups.map(\.field.rawValue)
      if let group = groupNames.firstIndex(of: Field(named: name)?.rawValue ?? name) {
        column = group
      } else if name != aggregate.function.rawValue {
        let choices = [aggregate.function.rawValue] + groupNames
        throw error(
          "'\(term.field.text)' is not a column of this result", term.field.span,
          help: "order by " + choices.joined(separator: " or "))
      }
    }
    aggregate.ranking = .init(column: column, descending: order.first?.descending ?? false, limit: limit)
    return .aggregate(aggregate)
  }
}
