import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Evaluates a filter over whole columns into a `RowBitmap`.
///
/// Each leaf of the plan is prepared once (stage and text tests become lookup tables
/// indexed by code, date and money tests become integer bounds), then run as a tight
/// loop over one typed array that writes 64 rows per word; `and`/`or`/`not` combine
/// words. The rows are split into word-aligned chunks scanned on all cores; each chunk
/// writes only its own words, so the result is the same however the work is split.
public enum FilterScan {
  /// A prepared leaf or combination.
  indirect enum Kernel: Sendable {
    case all
    case and(Kernel, Kernel)
    case or(Kernel, Kernel)
    case not(Kernel)
    /// `table[column[row]]`, for stage ids.
    case lookup16([UInt16], [Bool])
    /// `table[column[row]]`, for dictionary and tag-set codes.
    case lookup32([UInt32], [Bool])
    /// `low <= column[row] <= high`; the empty marker is below every bound.
    case days([Int32], low: Int32, high: Int32)
    case numbers([Int64], low: Int64, high: Int64)
    case dayPoints([Int32], Set<Int32>)
    case numberPoints([Int64], Set<Int64>)
  }

  /// Below this many rows one core does the whole scan.
  public static let rowsPerChunk = 1 << 16

  /// `rowsPerChunk` and `cores` are parameters so tests can cross many chunk edges.
  public static func bitmap(
    _ plan: FilterPlan, _ table: DealTable, rowsPerChunk: Int = FilterScan.rowsPerChunk,
    cores: Int = Parallel.cores
  ) -> RowBitmap {
    let kernel = prepare(plan, table)
    let rows = table.count
    let wordCount = RowBitmap.wordCount(rows)
    var words = [UInt64](repeating: 0, count: wordCount)
    let chunks = max(1, min(cores, rows / max(rowsPerChunk, 64)))
    let wordsPerChunk = (wordCount + chunks - 1) / max(chunks, 1)
    words.withUnsafeMutableBufferPointer { buffer in
      let out = UncheckedSendable(buffer.baseAddress)
      if chunks == 1 {
        run(kernel, words: 0..<wordCount, rows: rows, into: out.value)
      } else {
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
          let start = chunk * wordsPerChunk
          let end = min(start + wordsPerChunk, wordCount)
          if start < end { run(kernel, words: start..<end, rows: rows, into: out.value) }
        }
      }
    }
    return RowBitmap(rowCount: rows, words: words)
  }

  static func prepare(_ plan: FilterPlan, _ table: DealTable) -> Kernel {
    switch plan {
    case .all: return .all
    case .and(let a, let b): return .and(prepare(a, table), prepare(b, table))
    case .or(let a, let b): return .or(prepare(a, table), prepare(b, table))
    case .not(let inner): return .not(prepare(inner, table))
    case .stages(let ids, _):
      return .lookup16(table.stage, (0..<table.pipelines.stages.count).map { ids.contains(UInt16($0)) })
    case .textIn(let field, let values):
      let column = table.textColumn(field)
      return codes(column, column.dictionary.foldedEquals(values.map(FoldedStrings.fold)))
    case .textContains(let field, let needle):
      let column = table.textColumn(field)
      return codes(column, column.dictionary.foldedContains(FoldedStrings.fold(needle)))
    case .tagIn(let tags):
      return tagSets(table, table.tags.names.foldedEquals(tags.map(FoldedStrings.fold)))
    case .tagContains(let needle):
      return tagSets(table, table.tags.names.foldedContains(FoldedStrings.fold(needle)))
    case .range(let field, let range, _):
      if let path = DealTable.datePath(field) {
        let low = max(range.lowerBound, Int64(DealTable.emptyDay) + 1)
        let high = min(range.upperBound, Int64(Int32.max))
        guard low <= high else { return .not(.all) }
        return .days(table[keyPath: path], low: Int32(low), high: Int32(high))
      }
      let column = field == .value ? table.value : table.ids
      return .numbers(column, low: max(range.lowerBound, DealTable.emptyMoney + 1), high: range.upperBound)
    case .points(let field, let points, _):
      if let path = DealTable.datePath(field) {
        let days = Set(points.compactMap { Int32(exactly: $0) }.filter { $0 != DealTable.emptyDay })
        return .dayPoints(table[keyPath: path], days)
      }
      return .numberPoints(field == .value ? table.value : table.ids, points.subtracting([DealTable.emptyMoney]))
    case .isEmpty(let field):
      if let path = DealTable.textPath(field) {
        return .lookup32(table[keyPath: path].codes, [true])
      }
      if let path = DealTable.datePath(field) {
        return .days(table[keyPath: path], low: DealTable.emptyDay, high: DealTable.emptyDay)
      }
      if field == .value { return .numbers(table.value, low: DealTable.emptyMoney, high: DealTable.emptyMoney) }
      if field == .tags { return .lookup32(table.tags.codes, [true]) }
      return .not(.all)
    }
  }

  /// Code 0 is the empty value: no positive test matches it.
  /// Rows whose code matches, from a match per dictionary code (the empty value never does).
  private static func codes(_ column: TextColumn, _ lookup: [Bool]) -> Kernel {
    var lookup = lookup
    lookup[0] = false
    return .lookup32(column.codes, lookup)
  }

  /// Rows whose tag set holds a matching name, from a match per tag-name code.
  private static func tagSets(_ table: DealTable, _ nameMatches: [Bool]) -> Kernel {
    .lookup32(table.tags.codes, table.tags.sets.map { set in set.contains { nameMatches[Int($0)] } })
  }

  static func run(_ kernel: Kernel, words: Range<Int>, rows: Int, into out: UnsafeMutablePointer<UInt64>?) {
    guard let out else { return }
    switch kernel {
    case .all:
      for word in words { out[word] = ~0 }
      mask(words, rows, out)
    case .and(let a, let b), .or(let a, let b):
      run(a, words: words, rows: rows, into: out)
      let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count)
      defer { scratch.deallocate() }
      let shifted = scratch - words.lowerBound
      run(b, words: words, rows: rows, into: shifted)
      if case .and = kernel {
        for word in words { out[word] &= shifted[word] }
      } else {
        for word in words { out[word] |= shifted[word] }
      }
    case .not(let inner):
      run(inner, words: words, rows: rows, into: out)
      for word in words { out[word] = ~out[word] }
      mask(words, rows, out)
    case .lookup16(let column, let table):
      column.withUnsafeBufferPointer { column in
        table.withUnsafeBufferPointer { table in
          fill(words, rows, out) { table[Int(column[$0])] }
        }
      }
    case .lookup32(let column, let table):
      column.withUnsafeBufferPointer { column in
        table.withUnsafeBufferPointer { table in
          let size = table.count
          fill(words, rows, out) { row in
            let code = Int(column[row])
            return code < size && table[code]
          }
        }
      }
    case .days(let column, let low, let high):
      column.withUnsafeBufferPointer { column in
        fill(words, rows, out) { column[$0] >= low && column[$0] <= high }
      }
    case .numbers(let column, let low, let high):
      column.withUnsafeBufferPointer { column in
        fill(words, rows, out) { column[$0] >= low && column[$0] <= high }
      }
    case .dayPoints(let column, let points):
      column.withUnsafeBufferPointer { column in fill(words, rows, out) { points.contains(column[$0]) } }
    case .numberPoints(let column, let points):
      column.withUnsafeBufferPointer { column in fill(words, rows, out) { points.contains(column[$0]) } }
    }
  }

  /// One row's answer, for the few rows an id lookup leaves to test.
  static func matches(_ kernel: Kernel, _ row: Int) -> Bool {
    switch kernel {
    case .all: return true
    case .and(let a, let b): return matches(a, row) && matches(b, row)
    case .or(let a, let b): return matches(a, row) || matches(b, row)
    case .not(let inner): return !matches(inner, row)
    case .lookup16(let column, let table): return table[Int(column[row])]
    case .lookup32(let column, let table): return Int(column[row]) < table.count && table[Int(column[row])]
    case .days(let column, let low, let high): return column[row] >= low && column[row] <= high
    case .numbers(let column, let low, let high): return column[row] >= low && column[row] <= high
    case .dayPoints(let column, let points): return points.contains(column[row])
    case .numberPoints(let column, let points): return points.contains(column[row])
    }
  }

  /// Clears the bits past the last row.
  private static func mask(_ words: Range<Int>, _ rows: Int, _ out: UnsafeMutablePointer<UInt64>) {
    let last = RowBitmap.wordCount(rows) - 1
    if words.contains(last) { out[last] &= RowBitmap.tailMask(rows) }
  }

  /// Writes one bit per row: 64 tests, then one store per word.
  @inline(__always)
  private static func fill(
    _ words: Range<Int>, _ rows: Int, _ out: UnsafeMutablePointer<UInt64>, _ test: (Int) -> Bool
  ) {
    for word in words {
      let base = word << 6
      let end = min(base + 64, rows)
      var bits: UInt64 = 0
      var row = base
      while row < end {
        bits |= UInt64(test(row) ? 1 : 0) &<< UInt64(row &- base)
        row &+= 1
      }
      out[word] = bits
    }
  }
}
