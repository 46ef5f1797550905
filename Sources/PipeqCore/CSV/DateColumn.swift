/// One date format for a whole column, inferred from all its values: ISO with or
/// without time and zone, M/D/Y, D/M/Y, D.M.Y, Y/M/D, two-digit years, English month
/// names (`15 Apr, 2021`, `Dec 31, 2024`, `31-Dec-2024`) and Excel serial numbers. A
/// column whose every value fits both M/D and D/M is never guessed: the import asks for
/// `dates mdy` or `dates dmy`.
public enum DateColumn {
  public enum Order: String, Sendable, CaseIterable { case ymd, mdy, dmy, named, serial }

  /// A cell's date parts before a format is chosen.
  struct Parts {
    var numbers: [Int]
    var digits: [Int]
    var month: Int?
    var dotted: Bool
  }

  /// Why a column could not be read as dates.
  public enum Problem: Error, Equatable {
    /// Every value fits both orders.
    case ambiguous
    /// A value fits none of the orders the others fit: its text.
    case mixed(String)
  }

  static let monthNames = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  /// The format that reads every non-empty value of a column; `order` settles M/D
  /// against D/M when given.
  public static func infer(_ values: [String], order: Order? = nil) throws(Problem) -> Order {
    var possible = Set(Order.allCases)
    for value in values where !value.isEmpty {
      let fits = orders(fitting: value)
      let narrowed = possible.intersection(fits)
      if narrowed.isEmpty { throw .mixed(value) }
      possible = narrowed
    }
    if let order, possible.contains(order) { return order }
    if possible.contains(.ymd) { return .ymd }
    if possible.contains(.named) { return .named }
    if possible.contains(.mdy) && possible.contains(.dmy) {
      // Excel serials are plain numbers; a column of them fits nothing else.
      if possible.contains(.serial) { return .serial }
      throw .ambiguous
    }
    if let only = [Order.mdy, .dmy, .serial].first(where: possible.contains) { return only }
    throw .ambiguous
  }

  /// The orders a value can be read in.
  static func orders(fitting value: String) -> Set<Order> {
    guard let parts = parts(of: value) else { return [] }
    var fits = Set<Order>()
    if parts.numbers.count == 1 && parts.month == nil {
      if let serial = Double(value.trimmingCharacters(in: .whitespaces)), serial >= 1, serial < 2_958_466 {
        fits.insert(.serial)
      }
      return fits
    }
    if parts.month != nil {
      if day(parts, .named) != nil { fits.insert(.named) }
      return fits
    }
    for order in [Order.ymd, .mdy, .dmy] where day(parts, order) != nil {
      // Dots are European: 14.06.2026 is day, month, year.
      if parts.dotted && order == .mdy { continue }
      fits.insert(order)
    }
    return fits
  }

  /// The day a value stands for in `order`; nil when it is not a date in that order.
  public static func day(_ value: String, _ order: Order) -> Day? {
    guard let parts = parts(of: value) else { return nil }
    if order == .serial {
      guard parts.numbers.count == 1, let serial = Double(value.trimmingCharacters(in: .whitespaces)) else {
        return nil
      }
      // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
      return Day(year: 1899, month: 12, day: 30)!.offset(days: Int(serial))
    }
    return day(parts, order)
  }

  private static func day(_ parts: Parts, _ order: Order) -> Day? {
    let n = parts.numbers
    switch order {
    case .named:
      guard let month = parts.month, n.count >= 2 else { return nil }
      // `15 Apr, 2021` / `31-Dec-2024` (day first) or `Dec 31, 2024` (numbers after).
      let yearIndex = parts.digits[0] == 4 ? 0 : 1
      return Day(year: year(n[yearIndex], digits: parts.digits[yearIndex]), month: month, day: n[1 - yearIndex])
    case .ymd:
      guard n.count >= 3, parts.digits[0] == 4 else { return nil }
      return Day(year: n[0], month: n[1], day: n[2])
    case .mdy, .dmy:
      guard n.count >= 3, parts.digits[0] <= 2, parts.digits[1] <= 2, [2, 4].contains(parts.digits[2]) else {
        return nil
      }
      let (month, day) = order == .mdy ? (n[0], n[1]) : (n[1], n[0])
      return Day(year: year(n[2], digits: parts.digits[2]), month: month, day: day)
    case .serial:
      return nil
    }
  }

  /// Two-digit years: 69–99 are the 1900s, 00–68 the 2000s (as POSIX reads them).
  private static func year(_ value: Int, digits: Int) -> Int {
    guard digits == 2 else { return value }
    return value < 69 ? 2000 + value : 1900 + value
  }

  /// The leading numbers and month name of a date cell; a time after the date is
  /// ignored (the numbers after the third, or after a `T`). Read byte by byte: every
  /// date cell of an export passes here, and Unicode character properties cost ten times
  /// as much.
  static func parts(of value: String) -> Parts? {
    var numbers: [Int] = []
    var digits: [Int] = []
    numbers.reserveCapacity(4)
    digits.reserveCapacity(4)
    var month: Int?
    var dotted = false
    var number = 0
    var count = 0
    var word: [UInt8] = []
    func endNumber() {
      if count > 0 {
        numbers.append(number)
        digits.append(count)
      }
      number = 0
      count = 0
    }
    func endWord() {
      if word.count >= 3, let index = monthPrefixes.firstIndex(of: Array(word.prefix(3))) { month = index + 1 }
      word.removeAll(keepingCapacity: true)
    }
    var bytes = value.utf8.makeIterator()
    var pending: UInt8?
    while let byte = pending ?? bytes.next() {
      pending = nil
      let wanted = month == nil ? 3 : 2
      if numbers.count >= wanted && count == 0 { break }
      switch byte {
      case 0x30...0x39:
        endWord()
        guard count < 9 else { return nil }
        number = number * 10 + Int(byte - 0x30)
        count += 1
      case 0x41...0x5A, 0x61...0x7A:
        endNumber()
        let lower = byte | 0x20
        if lower == UInt8(ascii: "t") && word.isEmpty && numbers.count >= 3 {
          return parts(numbers, digits, month, dotted)
        }
        word.append(lower)
      case 0xC2:
        // A no-break space separates; any other non-ASCII letter is part of a word.
        let next = bytes.next()
        endNumber()
        if next == 0xA0 {
          endWord()
        } else {
          word.append(byte)
          pending = next
        }
      case 0x80...:
        endNumber()
        word.append(byte)
      default:
        endNumber()
        endWord()
        if byte == UInt8(ascii: ".") { dotted = true }
        guard " -/,.:".utf8.contains(byte) else { return nil }
      }
    }
    endNumber()
    endWord()
    return parts(numbers, digits, month, dotted)
  }

  private static func parts(_ numbers: [Int], _ digits: [Int], _ month: Int?, _ dotted: Bool) -> Parts? {
    numbers.isEmpty ? nil : Parts(numbers: numbers, digits: digits, month: month, dotted: dotted)
  }

  static let monthPrefixes = monthNames.map { Array($0.utf8) }
}
