import Foundation

/// One field's value of one deal, decoded from its column: what results, exports and
/// mutations carry.
public enum Value: Sendable, Hashable {
  case empty
  case integer(Int64)
  /// Money in hundredths (cents), so sums are exact.
  case money(Int64)
  case text(String)
  case date(Day)
  case days(Int)
  case tags([String])
  /// A computed number (an average).
  case number(Double)

  public var isEmpty: Bool {
    switch self {
    case .empty: return true
    case .text(let text): return text.isEmpty
    case .tags(let tags): return tags.isEmpty
    default: return false
    }
  }
}

extension Value: Comparable {
  /// Orders values of one field; empty sorts first here, `order by` puts it last itself.
  public static func < (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.empty, .empty): return false
    case (.empty, _): return true
    case (_, .empty): return false
    case (.integer(let a), .integer(let b)): return a < b
    case (.money(let a), .money(let b)): return a < b
    case (.text(let a), .text(let b)): return a.folded < b.folded
    case (.date(let a), .date(let b)): return a < b
    case (.days(let a), .days(let b)): return a < b
    case (.number(let a), .number(let b)): return a < b
    case (.tags(let a), .tags(let b)): return a.joined(separator: ";") < b.joined(separator: ";")
    default: return String(describing: lhs) < String(describing: rhs)
    }
  }
}

/// Money as text: plain digits with a point (`12500`, `12500.5` → `12500.50`).
public enum Money {
  public static let scale: Int64 = 100

  public static func plain(_ cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let magnitude = cents.magnitude
    let whole = magnitude / UInt64(scale)
    let fraction = magnitude % UInt64(scale)
    if fraction == 0 { return "\(sign)\(whole)" }
    return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
  }

  /// Cents from an exact decimal, rounded half away from zero.
  public static func cents(_ amount: Decimal) -> Int64? {
    var scaled = amount * Decimal(scale)
    var rounded = Decimal()
    NSDecimalRound(&rounded, &scaled, 0, .plain)
    guard abs(rounded) < Decimal(9e17) else { return nil }
    return NSDecimalNumber(decimal: rounded).int64Value
  }

  /// Cents from a decimal number, rounded half away from zero.
  public static func cents(_ amount: Double) -> Int64? {
    let scaled = (amount * Double(scale)).rounded(.toNearestOrAwayFromZero)
    guard scaled.isFinite, abs(scaled) < 9e17 else { return nil }
    return Int64(scaled)
  }
}

/// A value as a column stores it: what a cell of each kind holds, or none.
extension Value {
  var text: String {
    if case .text(let text) = self { return text }
    return ""
  }

  var day: Day? {
    if case .date(let day) = self { return day }
    return nil
  }

  var integer: Int64? {
    if case .integer(let number) = self { return number }
    return nil
  }
}
