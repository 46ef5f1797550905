import Dispatch

/// Builds the imported deals from the parsed pieces, in file order: each piece's codes
/// are mapped into one dictionary per column and copied into the table's arrays. The
/// columns are independent, so each is a job and both cores share the copying.
enum PieceAssembly {
  /// The deals of `chunks` under the merged `catalog`; deals without an id get ids
  /// from `firstFreeID` on, in file order.
  static func table(_ chunks: [CSVChunk], catalog: Pipelines, firstFreeID: Int64) -> DealTable {
    let total = chunks.reduce(0) { $0 + $1.columns.count }
    // Each piece's stage ids in the merged catalog, which holds every piece's stages.
    let stageMaps: [[UInt16]] = chunks.map { chunk in
      chunk.catalog.stages.map { info in
        // A stage the import left out of the catalog is one no row of the file uses.
        guard let pipeline = catalog.pipeline(named: chunk.catalog.pipelines[Int(info.pipeline)].name),
          let stage = catalog.stage(named: info.name, in: pipeline)
        else { return 0 }
        return stage
      }
    }
    let textCount = Field.storedText.count
    let dateCount = Field.storedDates.count
    let ids = ParallelSlots<[Int64]>(count: 2)  // ids, values
    let texts = ParallelSlots<TextColumn>(count: textCount)
    let tags = ParallelSlots<TagColumn>(count: 1)
    let stages = ParallelSlots<[UInt16]>(count: 1)
    let days = ParallelSlots<[Int32]>(count: dateCount)
    DispatchQueue.concurrentPerform(iterations: 4 + textCount + dateCount) { job in
      switch job {
      case 0:
        var next = firstFreeID
        ids[0] = gather(chunks, total) {
          $0.ids
        } map: { _, id in
          guard id == 0 else { return id }
          next += 1
          return next - 1
        }
      case 1: ids[1] = gather(chunks, total) { $0.values }
      case 2: tags[0] = mergedTags(chunks, total)
      case 3:
        stages[0] = gather(chunks, total) {
          $0.stages
        } map: { piece, stage in
          stageMaps[piece][Int(stage)]
        }
      case 4..<(4 + textCount): texts[job - 4] = mergedText(chunks, total, slot: job - 4)
      default:
        let slot = job - 4 - textCount
        days[slot] = gather(chunks, total) { $0.day(slot) }
      }
    }
    var deals = DealTable()
    deals.pipelines = catalog
    deals.ids = ids[0]
    deals.value = ids[1]
    for (slot, field) in Field.storedText.enumerated() { deals.modifyText(field) { $0 = texts[slot] } }
    deals.tags = tags[0]
    deals.stage = stages[0]
    for (slot, field) in Field.storedDates.enumerated() { deals.modifyDates(field) { $0 = days[slot] } }
    deals.sortByID()
    return deals
  }

  /// One column of every piece, one after the other.
  private static func gather<Element>(
    _ chunks: [CSVChunk], _ total: Int, _ column: (PieceColumns.Buffers) -> UnsafeMutablePointer<Element>
  ) -> [Element] {
    [Element](unsafeUninitializedCapacity: total) { buffer, count in
      var out = buffer.baseAddress!
      for chunk in chunks {
        out.initialize(from: column(chunk.columns.buffers), count: chunk.columns.count)
        out += chunk.columns.count
      }
      count = total
    }
  }

  /// One column of every piece, each value passed through `map` with its piece's number,
  /// in file order.
  private static func gather<Element>(
    _ chunks: [CSVChunk], _ total: Int, _ column: (PieceColumns.Buffers) -> UnsafeMutablePointer<Element>,
    map: (Int, Element) -> Element
  ) -> [Element] {
    [Element](unsafeUninitializedCapacity: total) { buffer, count in
      var out = 0
      for (piece, chunk) in chunks.enumerated() {
        let source = column(chunk.columns.buffers)
        for row in 0..<chunk.columns.count {
          buffer[out] = map(piece, source[row])
          out += 1
        }
      }
      count = total
    }
  }

  /// A text column: the first piece's dictionary, extended by each later piece's values.
  private static func mergedText(_ chunks: [CSVChunk], _ total: Int, slot: Int) -> TextColumn {
    var column = TextColumn()
    column.dictionary = chunks[0].dictionaries[slot]
    column.dictionary.reserveCapacity(chunks.reduce(0) { $0 + $1.dictionaries[slot].count })
    let maps = chunks.indices.map { index in
      index == 0 ? [] : column.dictionary.merge(chunks[index].dictionaries[slot])
    }
    column.codes = gather(chunks, total) {
      $0.text(slot)
    } map: { piece, code in
      piece == 0 ? code : maps[piece][Int(code)]
    }
    return column
  }

  /// The tag sets: the first piece's, extended by each later piece's.
  private static func mergedTags(_ chunks: [CSVChunk], _ total: Int) -> TagColumn {
    var column = chunks[0].tags
    let maps = chunks.indices.map { index in
      let other = chunks[index].tags
      return index == 0 ? [] : other.sets.map { set in column.code(for: set.map { other.names[$0] }) }
    }
    column.codes = gather(chunks, total) {
      $0.tags
    } map: { piece, code in
      piece == 0 ? code : maps[piece][Int(code)]
    }
    return column
  }
}
