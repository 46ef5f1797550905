/// What a record kind declares about each of its fields. The parts every kind shares —
/// its table's id, text and date columns (`RecordTable`), its change sets
/// (`RecordChanges`) and their coding in the journal and the snapshot — are written once
/// against this declaration. Deals (`Field`) are the first kind.
public protocol RecordField: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
  /// The stored fields, in the order of the kind's CSV template and exports.
  static var stored: [Self] { get }
  /// The stored text fields in `stored` order: one column each, at its `textSlot`.
  static var storedText: [Self] { get }
  /// The stored date fields in `stored` order: one column each, at its `dateSlot`.
  static var storedDates: [Self] { get }
  /// The field that holds the record's id.
  static var idField: Self { get }
  /// The field's column among the text columns; nil for other kinds of field.
  var textSlot: Int? { get }
  /// The field's column among the date columns; nil for other kinds of field.
  var dateSlot: Int? { get }
  /// The stored integer fields (a task's deal, a count) in `stored` order; a kind
  /// without any leaves the default.
  static var storedIntegers: [Self] { get }
  /// The field's column among the integer columns; nil for other kinds of field.
  var integerSlot: Int? { get }
}

extension RecordField {
  public static var storedIntegers: [Self] { [] }
  public var integerSlot: Int? { nil }

  /// Whether the field is computed from others rather than kept.
  public var isDerived: Bool { !Self.stored.contains(self) }

  /// Fields a change set may carry: the stored ones but the id, which names the record.
  public var isChangeable: Bool { !isDerived && self != Self.idField }

  /// Whether every text, date and integer field's slot is its place in `storedText`,
  /// `storedDates`, `storedIntegers`: what a kind's slot switches must keep (its tests
  /// ask this).
  public static var slotsFollowTheDeclaration: Bool {
    func follows(_ list: [Self], _ slot: (Self) -> Int?) -> Bool {
      list.enumerated().allSatisfy { slot($0.element) == $0.offset }
        && allCases.allSatisfy { slot($0) == nil || list.contains($0) }
    }
    return follows(storedText, \.textSlot) && follows(storedDates, \.dateSlot) && follows(storedIntegers, \.integerSlot)
  }
}
