import Testing

@testable import PipeqCore

/// An undo's preview counts its changes by codes; the count is the edits' count.
@Suite struct ValueColumnCountingTests {
  static func column(_ values: [Value]) -> ValueColumn {
    var column = ValueColumn()
    for value in values { column.append(value) }
    return column
  }

  @Test func countsTheRecordsWhoseValueChanges() {
    let before = Self.column([.text("bob"), .text("bob"), .empty, .text("carol"), .text("zed")])
    let after = Self.column([.text("zed"), .text("zed"), .text(""), .text("zed"), .text("zed")])
    // Records 0, 1 and 3 change; 2 is empty both ways; 4 stays zed.
    #expect(before.changedCount(to: after) == 3)
    #expect(after.changedCount(to: before) == 3)
  }

  @Test func oneValueOnEachSideIsAllOrNothing() {
    let lead = ValueColumn(repeating: .text("lead"), count: 1000)
    let lost = ValueColumn(repeating: .text("lost"), count: 1000)
    #expect(lead.changedCount(to: lost) == 1000)
    #expect(lead.changedCount(to: lead) == 0)
  }

  @Test func manyDistinctValuesAreComparedOneByOne() {
    // More pairs of codes than the table holds: compared record by record.
    let before = Self.column((0..<300).map { .money(Int64($0)) })
    let after = Self.column((0..<300).map { .money(Int64($0 < 100 ? $0 : $0 * 2)) })
    // 0..<100 unchanged; 100..<300 doubled.
    #expect(before.changedCount(to: after) == 200)
  }
}
