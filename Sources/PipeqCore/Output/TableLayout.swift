/// Which columns of a table are shown at a terminal width, and how wide each is: a
/// table too wide for the screen leaves out the columns its producer said may go (in
/// that order) and narrows its long text columns to a readable floor; if that is not
/// enough, its last columns go. Cells are cut shorter only when one column is left.
/// Numbers and dates are never narrowed.
struct TableLayout: Equatable {
  /// Shown columns, in table order.
  var shown: [Int]
  /// Width of every column (left-out ones keep their natural width).
  var widths: [Int]
  var leftOut: [Int] { widths.indices.filter { !shown.contains($0) } }

  struct Column {
    var header: Int
    var natural: Int
    /// Numbers and dates: never cut.
    var neverCut: Bool
    /// Long text that wraps onto more lines rather than being cut.
    var wraps: Bool
    /// The narrowest the column goes before columns are left out: a cell cut shorter
    /// than this no longer says what it is.
    var floor: Int {
      neverCut ? natural : min(natural, max(header, wraps ? 20 : 16))
    }
  }

  static let gap = 2
  /// The narrowest any text column is cut to when nothing else fits.
  static let narrowest = 4

  /// The layout of `columns` in `width`; `leaveOut` lists the columns that may go, first
  /// to go first.
  static func plan(_ columns: [Column], width: Int?, leaveOut: [Int]) -> TableLayout {
    var layout = TableLayout(shown: Array(columns.indices), widths: columns.map(\.natural))
    guard let width else { return layout }
    var dropping = leaveOut[...]
    while layout.total(columns.map(\.floor)) > width, let next = dropping.popFirst() {
      layout.shown.removeAll { $0 == next }
    }
    // Still too wide at the floors: the last columns go (never the first) rather than
    // every cell being cut short.
    while true {
      layout.widths = columns.map(\.natural)
      layout.narrow(columns, to: width, floor: { columns[$0].floor })
      guard layout.total(layout.widths) > width, layout.shown.count > 1 else { break }
      layout.shown.removeLast()
    }
    layout.narrow(columns, to: width, floor: { _ in narrowest })
    return layout
  }

  private func total(_ widths: [Int]) -> Int {
    shown.reduce(0) { $0 + widths[$1] } + TableLayout.gap * max(0, shown.count - 1)
  }

  /// Takes a column at a time off the widest shown text column above its floor.
  private mutating func narrow(_ columns: [Column], to width: Int, floor: (Int) -> Int) {
    var excess = total(widths) - width
    while excess > 0 {
      let candidates = shown.filter { !columns[$0].neverCut && widths[$0] > max(floor($0), columns[$0].header) }
      guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { return }
      widths[widest] -= 1
      excess -= 1
    }
  }
}
