import PipeqCore
import Testing

/// The column scan must select exactly the rows a plain reading of each deal's values
/// selects, whatever the chunking, at every word and chunk edge.
@Suite struct FilterScanTests {
  static let today = Day(iso: "2026-11-27")!

  static let table: DealTable = {
    let database = Database()
    let csv = PipelineGenerator(seed: 11, today: today).csv(count: 3_001)
    let (mutation, _) = try! CSVImporter(table: database.table, today: today)
      .makeMutation(bytes: Array(csv.utf8), fileName: "generated.csv", statement: ".import generated.csv")
    try! database.commit(mutation)
    return database.table
  }()

  @Test(arguments: [
    "stage != won and last_interaction > 90d", "account ~ \"a\" and value > 50k", "owner in (alice, bob)",
    "tags = priority", "tag ~ \"ri\"", "not (value between 1k and 20k) or stage = lost", "closed is empty",
    "value is empty or currency = EUR", "created = 2026-03-01", "id > 1500 and id <= 1700 or id = 3",
    "expected_close < today or not lost_reason is empty", "status = open and pipeline = partners",
    "value >= 100k and value != 150k",
  ])
  func scanMatchesARowByRowReading(filter: String) throws {
    let table = FilterScanTests.table
    let plan = try FilterScanTests.plan(filter, table)
    let expected = (0..<table.count).filter { FilterScanTests.reference(plan, table, $0) }
    for (chunk, cores) in [(64, 1), (64, 2), (192, 3), (1_000, 2), (FilterScan.rowsPerChunk, Parallel.cores)] {
      let bitmap = FilterScan.bitmap(plan, table, rowsPerChunk: chunk, cores: cores)
      #expect(bitmap.rows == expected, "\(filter) in chunks of \(chunk) on \(cores) cores")
      #expect(bitmap.count == expected.count)
    }
    #expect(FilterCompiler.select(plan, table) == expected)
    #expect(!expected.isEmpty || filter == "created = 2026-03-01", "a test that selects nothing proves little")
  }

  @Test func bitmapsCoverPartialWords() {
    for rows in [0, 1, 63, 64, 65, 130] {
      let picked = Array(stride(from: 0, to: rows, by: 3))
      let bitmap = RowBitmap(rows: picked, rowCount: rows)
      #expect(bitmap.rows == picked)
      #expect(bitmap.count == picked.count)
    }
  }

  struct NotACount: Error {}

  static func plan(_ filter: String, _ table: DealTable) throws -> FilterPlan {
    let source = SourceText(name: "<test>", text: "count where \(filter)")
    var planner = Planner(table: table, today: today, source: source)
    guard case .aggregate(let plan) = try planner.makePlan(for: try Parser.parse(source), text: source.text) else {
      throw NotACount()
    }
    return plan.filter
  }

  /// The meaning of each test, read from the deal's values one row at a time.
  static func reference(_ plan: FilterPlan, _ table: DealTable, _ row: Int) -> Bool {
    func number(_ field: Field) -> Int64? {
      switch table.value(field, at: row, today: today) {
      case .integer(let n): return n
      case .money(let cents): return cents
      case .date(let day): return Int64(day.number)
      default: return nil
      }
    }
    func text(_ field: Field) -> String? {
      if case .text(let text) = table.value(field, at: row, today: today), !text.isEmpty { return text.folded }
      return nil
    }
    let tags = table.tags.tags(at: row).map(\.folded)
    switch plan {
    case .all: return true
    case .and(let a, let b): return reference(a, table, row) && reference(b, table, row)
    case .or(let a, let b): return reference(a, table, row) || reference(b, table, row)
    case .not(let inner): return !reference(inner, table, row)
    case .stages(let ids, _): return ids.contains(table.stage[row])
    case .textIn(let field, let values):
      return text(field).map { values.map(\.folded).contains($0) } ?? false
    case .textContains(let field, let needle):
      return text(field)?.contains(needle.folded) ?? false
    case .tagIn(let names): return tags.contains { names.map(\.folded).contains($0) }
    case .tagContains(let needle): return tags.contains { $0.contains(needle.folded) }
    case .range(let field, let range, _): return number(field).map(range.contains) ?? false
    case .points(let field, let points, _): return number(field).map(points.contains) ?? false
    case .isEmpty(let field): return table.value(field, at: row, today: today).isEmpty
    }
  }
}

/// Grouped counts and sums split between cores add up to what one pass gives, whatever
/// the split.
@Suite struct ParallelGroupingTests {
  @Test(arguments: [
    "count by stage", "sum value by owner, stage", "avg value by account where value > 10k",
    "sum weighted by stage", "max value by currency", "count by pipeline where status = open",
    "median value by stage", "median value by owner, stage where value > 10k",
  ])
  func partsAddUpToOnePass(statement: String) throws {
    let table = FilterScanTests.table
    let source = SourceText(name: "<test>", text: statement)
    var planner = Planner(table: table, today: FilterScanTests.today, source: source)
    guard case .aggregate(let plan) = try planner.makePlan(for: try Parser.parse(source), text: source.text) else {
      throw FilterScanTests.NotACount()
    }
    let (whole, currencies) = Executor.run(plan, on: table, today: FilterScanTests.today, cores: 1)
    #expect(whole.rows.count > 1, "a statement with one group proves little")
    for (part, cores) in [(64, 2), (192, 3), (1_000, 2)] {
      let (split, splitCurrencies) = Executor.run(
        plan, on: table, today: FilterScanTests.today, rowsPerPart: part, cores: cores)
      #expect(split.rows == whole.rows, "\(statement) in parts of \(part) rows on \(cores) cores")
      #expect(splitCurrencies == currencies, "the currencies summed by \(statement) in parts of \(part) rows")
    }
  }
}

/// Medians by group, laid out a group after another and selected in place, are what
/// sorting each group's values gives.
@Suite struct GroupedMedianTests {
  @Test func mediansByGroupAreTheSortedMiddles() throws {
    let table = FilterScanTests.table
    let source = SourceText(name: "<test>", text: "median value by owner where value > 0")
    var planner = Planner(table: table, today: FilterScanTests.today, source: source)
    guard case .aggregate(let plan) = try planner.makePlan(for: try Parser.parse(source), text: source.text) else {
      throw FilterScanTests.NotACount()
    }
    let result = Executor.run(plan, on: table, today: FilterScanTests.today).0
    var byOwner: [String: [Int64]] = [:]
    let owners = table.textColumn(.owner)
    for row in 0..<table.count where table.value[row] > 0 {
      byOwner[owners.dictionary[owners.codes[row]].lowercased(), default: []].append(table.value[row])
    }
    #expect(result.rows.count == byOwner.count)
    #expect(result.rows.count > 2)
    for row in result.rows {
      guard case .text(let owner) = row[0], let values = byOwner[owner.lowercased()]?.sorted() else {
        Issue.record("\(row[0]) is no owner's group")
        continue
      }
      let half = values.count / 2
      let middle =
        values.count % 2 == 1
        ? values[half]
        : Int64(((Double(values[half - 1]) + Double(values[half])) / 2).rounded(.toNearestOrAwayFromZero))
      #expect(row[1] == .money(middle), "\(owner)")
    }
  }
}
