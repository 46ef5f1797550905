/// Every total a report or an aggregate makes is a sum of some deals' values in cents,
/// kept in 64 bits. Rather than check each of those sums in its hot loop, the store
/// keeps one bound: the magnitudes of all its values add up to at most `limit`, so any
/// sum of any subset fits, with room to spare. A change that would break it is refused
/// before it is written.
public enum MoneyBound {
  /// 2^62 cents: 46 quadrillion in any currency, far past any real pipeline.
  public static let limit = Double(1 << 62)

  /// The change in the sum of |value| a mutation makes (Double: this is a bound check,
  /// and a sum of up to 2^62 per term cannot overflow it).
  static func growth(of mutation: Mutation) -> Double {
    var growth = 0.0
    for set in mutation.changes {
      for change in set.fields where change.field == .value {
        for index in 0..<set.ids.count {
          growth += magnitude(change.after[index]) - magnitude(change.before[index])
        }
      }
    }
    growth += total(mutation.inserts.value) - total(mutation.deletes.value)
    return growth
  }

  /// Throws when the mutations would take the store's values past the bound.
  static func check(_ table: DealTable, _ mutations: [Mutation]) throws(DiagnosticError) {
    let added = mutations.reduce(0.0) { $0 + growth(of: $1) }
    guard added > 0, total(table.value) + added > limit else { return }
    throw DiagnosticError(
      .error(
        "the deals' values would add up to more than 46 quadrillion, past what totals can hold; nothing was changed",
        help: "check the amounts: a value of this size is usually a typo or a column read as the wrong field"))
  }

  private static func magnitude(_ value: Value) -> Double {
    if case .money(let cents) = value { return Double(cents.magnitude) }
    return 0
  }

  private static func total(_ cents: [Int64]) -> Double {
    var sum = 0.0
    for amount in cents where amount != DealTable.emptyMoney { sum += Double(amount.magnitude) }
    return sum
  }
}
