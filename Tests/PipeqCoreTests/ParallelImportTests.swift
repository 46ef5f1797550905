import Testing

@testable import PipeqCore

/// A big file is cut at record boundaries and parsed on all cores: the deals, the new
/// pipelines and the first error must be exactly what one pass gives.
@Suite struct ParallelImportTests {
  static let today = Day(iso: "2026-11-27")!

  static func importing(_ csv: String, parts: Int, into table: DealTable = DealTable()) throws(DiagnosticError)
    -> (Mutation, CSVImporter.Report)
  {
    try CSVImporter(table: table, today: today).makeMutation(
      bytes: Array(csv.utf8), fileName: "deals.csv", statement: ".import deals.csv", parts: parts)
  }

  static func failure(_ csv: String, parts: Int) -> String? {
    do {
      _ = try importing(csv, parts: parts)
      return nil
    } catch {
      return "\(error.diagnostic.location ?? "") \(error.diagnostic.message)"
    }
  }

  @Test(arguments: [2, 3, 7])
  func piecesGiveWhatOnePassGives(parts: Int) throws {
    // Quoted names with commas and line breaks sit across the cut points.
    var csv = PipelineGenerator(seed: 3, today: Self.today).csv(count: 2_000)
    csv += "\n,\"multi\nline, name\",Acme,,ann,newpipe,first,10,USD,,,,,,,,\n"
    csv += ",\"another\n\"\"quoted\"\"\",Acme,,ann,newpipe,second,10,USD,,,,,,,,\n"
    #expect(CSVReader.split(Array(csv.utf8), from: 0, line: 1, parts: parts).count == parts)
    let (one, oneReport) = try Self.importing(csv, parts: 1)
    let (many, manyReport) = try Self.importing(csv, parts: parts)
    #expect(many.inserts.count == 2_002)
    #expect(many.inserts == one.inserts)
    #expect(many.pipelines == one.pipelines)
    #expect(manyReport.notices == oneReport.notices)
    #expect(oneReport.notices.contains { $0.hasPrefix("new pipeline 'newpipe'") })
  }

  /// Past a few thousand rows a column of distinct values (names) skips the byte lookup;
  /// every deal must still hold exactly its own cells.
  @Test func everyCellArrivesPastTheLookupSwitch() throws {
    var rows = ["id,name,owner,stage"]
    var expected: [(name: String, owner: String)] = []
    for id in 1...9_000 {
      // Every name distinct (some quoted, some not ASCII); owners repeat.
      let name = id % 5 == 0 ? "Deal \(id), \"phase\" two" : "Déal \(id)"
      let owner = ["ana", "bob", "chloé"][id % 3]
      let cell = id % 5 == 0 ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
      rows.append("\(id),\(cell),\(owner),lead")
      expected.append((name, owner))
    }
    let csv = rows.joined(separator: "\n")
    for parts in [1, 2] {
      let (mutation, _) = try Self.importing(csv, parts: parts)
      let deals = mutation.inserts
      #expect(deals.count == expected.count)
      for row in 0..<deals.count {
        let name = deals.value(.name, at: row, today: Self.today)
        let owner = deals.value(.owner, at: row, today: Self.today)
        guard name == .text(expected[row].name), owner == .text(expected[row].owner) else {
          Issue.record("row \(row) in \(parts) pieces: \(name), \(owner)")
          break
        }
      }
    }
  }

  /// Past the switch a name is interned from its bytes unless it needs reading: cells
  /// with spaces to trim, a spreadsheet's formula quote, or another spelling of a name
  /// already seen are read as before the switch. A line that is not UTF-8 in a file
  /// that otherwise is stops the import at that line: read as Windows-1252, every
  /// accent of the good lines would be garbled ("Zoë" as "ZoÃ«").
  @Test func cellsPastTheSwitchAreReadAsBefore() throws {
    var rows = ["id,name,stage"]
    for id in 1...5_000 { rows.append("\(id),Deal \(id),lead") }
    rows += ["5001,  Padded deal  ,lead", "5002,'=SUM(A1),lead", "5003,Zoë,lead", "5004,Zoe\u{308},lead"]
    rows.append("5005,'plain,lead")
    let (mutation, _) = try Self.importing(rows.joined(separator: "\n"), parts: 1)
    let names = mutation.inserts.textColumn(.name)
    #expect(names.string(at: 5_000) == "Padded deal")
    #expect(names.string(at: 5_001) == "=SUM(A1)")
    #expect(names.codes[5_002] == names.codes[5_003])
    #expect(names.string(at: 5_004) == "'plain")
    var bytes = Array((rows.joined(separator: "\n") + "\n5006,").utf8)
    bytes += [0x4E, 0xFF] + Array(",lead\n".utf8)
    do {
      _ = try CSVImporter(table: DealTable(), today: Self.today).makeMutation(
        bytes: bytes, fileName: "deals.csv", statement: ".import deals.csv", parts: 1)
      Issue.record("a line that is not UTF-8 was taken")
    } catch {
      #expect(error.diagnostic.location == "deals.csv:5007")
      #expect(error.diagnostic.message == "this line is not UTF-8 text, though the rest of the file is")
    }
  }

  /// Past the first megabyte (the part sampled to choose a rewrite) a line that is not
  /// UTF-8 is found by the reader itself, with the same error.
  @Test func aDamagedLinePastTheSampleIsFoundByTheReader() {
    var text = "id,name,stage\n"
    for id in 1...70_000 { text += "\(id),Déal \(id),lead\n" }
    var bytes = Array(text.utf8)
    bytes += Array("70001,N".utf8) + [0xFF] + Array(",lead\n".utf8)
    for parts in [1, 2] {
      do {
        _ = try CSVImporter(table: DealTable(), today: Self.today).makeMutation(
          bytes: bytes, fileName: "deals.csv", statement: ".import deals.csv", parts: parts)
        Issue.record("a line that is not UTF-8 was taken")
      } catch {
        #expect(error.diagnostic.location == "deals.csv:70002")
        #expect(error.diagnostic.message == CSVReader.Failure.notUTF8.message)
      }
    }
  }

  /// A piece guesses its row count from its first 64 KiB; long rows there and short
  /// ones after make it grow its columns, and every cell must survive the move.
  @Test func columnsGrowPastTheirFirstGuess() throws {
    var rows = ["id,name,owner,stage,value,created"]
    let long = String(repeating: "x", count: 2_000)
    for id in 1...40 { rows.append("\(id),\(long)\(id),ann,lead,\(id),2026-01-01") }
    for id in 41...30_000 { rows.append("\(id),n\(id % 7),o\(id % 3),s\(id % 2),\(id),2026-02-\(10 + id % 9)") }
    let csv = rows.joined(separator: "\n")
    for parts in [1, 2] {
      let deals = try Self.importing(csv, parts: parts).0.inserts
      #expect(deals.count == 30_000)
      for row in [0, 39, 40, 41, 9_999, 15_000, 29_999] {
        let id = row + 1
        let deal = deals.deal(at: row)
        #expect(deal.id == Int64(id))
        #expect(deal.value == Int64(id) * 100)
        #expect(deal[text: .name] == (id <= 40 ? "\(long)\(id)" : "n\(id % 7)"))
        #expect(deal[text: .owner] == (id <= 40 ? "ann" : "o\(id % 3)"))
        #expect(deal.stage == (id <= 40 ? "lead" : "s\(id % 2)"))
        #expect(deal[date: .created] == Day(iso: id <= 40 ? "2026-01-01" : "2026-02-\(10 + id % 9)"))
      }
    }
  }

  /// A CRM export names every deal differently: the name column switches to its
  /// dictionary alone and the pieces' dictionaries merge; every deal keeps its own name.
  @Test func distinctNamesArriveWhole() throws {
    let plain = try Self.importing(PipelineGenerator(seed: 5, today: Self.today).csv(count: 9_000), parts: 1).0
    let csv = PipelineGenerator(seed: 5, today: Self.today, distinctNames: true).csv(count: 9_000)
    for parts in [1, 2] {
      let deals = try Self.importing(csv, parts: parts).0.inserts
      #expect(deals.textColumn(.name).dictionary.count == 9_001)
      for row in stride(from: 0, to: 9_000, by: 373) {
        let expected = "\(plain.inserts.deal(at: row)[text: .name]) #\(row + 1)"
        #expect(deals.deal(at: row)[text: .name] == expected)
        #expect(deals.deal(at: row)[text: .account] == plain.inserts.deal(at: row)[text: .account])
      }
    }
  }

  @Test func piecesCutOnlyBetweenRecords() {
    let csv = Array("h\n\"a\nb\nc\"\nd\n\"e\n\nf\"\ng\n".utf8)
    let pieces = CSVReader.split(csv, from: 2, line: 2, parts: 4)
    for piece in pieces {
      var reader = CSVReader(bytes: csv, range: piece.offset..<csv.count, line: piece.line)
      let first = try? reader.next()
      #expect(first != nil)
      #expect(["a\nb\nc", "d", "e\n\nf", "g"].contains(first?.fields.first ?? ""), "cut at \(piece.offset)")
      // The line a piece starts on is the one a single pass counts.
      let lines = [2: 2, 10: 5, 12: 6, 19: 9]
      #expect(lines[piece.offset] == piece.line, "offset \(piece.offset)")
    }
  }

  @Test func theFirstErrorInTheFileIsTheOneReported() {
    var rows = ["id,name,stage,value"]
    for id in 1...400 { rows.append("\(id),deal \(id),lead,100") }
    let clean = rows.joined(separator: "\n")
    // An id repeated in a later piece: reported at its second line, naming the first.
    var repeated = rows
    repeated[390] = "17,again,lead,100"
    #expect(
      Self.failure(repeated.joined(separator: "\n"), parts: 4)
        == "deals.csv:391, column 1 duplicate id 17: line 18 has it too")
    #expect(
      Self.failure(repeated.joined(separator: "\n"), parts: 1)
        == Self.failure(repeated.joined(separator: "\n"), parts: 4))
    // Bad cells in two pieces: the earlier line wins.
    var twoBad = rows
    twoBad[350] = "350,x,lead,lots"
    twoBad[120] = "120,x,lead,plenty"
    #expect(Self.failure(twoBad.joined(separator: "\n"), parts: 4)?.hasPrefix("deals.csv:121, column 4") == true)
    #expect(
      Self.failure(twoBad.joined(separator: "\n"), parts: 1) == Self.failure(twoBad.joined(separator: "\n"), parts: 4))
    #expect(Self.failure(clean, parts: 4) == nil)
    // Ids out of order but distinct are fine; a repeat among them is found.
    var shuffled = ["id,name,stage,value"]
    for index in 0..<400 { shuffled.append("\((index * 37) % 400 + 1),deal,lead,100") }
    #expect(Self.failure(shuffled.joined(separator: "\n"), parts: 1) == nil)
    #expect(Self.failure(shuffled.joined(separator: "\n"), parts: 3) == nil)
    shuffled[300] = shuffled[5]
    let repeatedID = shuffled[5].split(separator: ",")[0]
    for parts in [1, 3] {
      #expect(
        Self.failure(shuffled.joined(separator: "\n"), parts: parts)
          == "deals.csv:301, column 1 duplicate id \(repeatedID): line 6 has it too")
    }
  }
}

/// The vector count that finds the cut points must agree with a byte-by-byte count for
/// every start, length and density, including runs long enough to fill its 8-bit lanes.
@Suite struct QuoteAndLineCountTests {
  static func naive(_ bytes: [UInt8], _ range: Range<Int>) -> (Int, Int) {
    (bytes[range].count { $0 == UInt8(ascii: "\"") }, bytes[range].count { $0 == 10 })
  }

  @Test(arguments: [0, 1, 2, 3])
  func agreesWithAByteLoop(density: Int) {
    var generator = SystemRandomNumberGenerator()
    let length = 40_000
    let bytes: [UInt8] = (0..<length).map { index in
      switch density {
      case 0: return UInt8(ascii: "\"")  // every byte a quote: lanes reach their limit
      case 1: return index % 2 == 0 ? 10 : UInt8(ascii: "\"")
      case 2: return [UInt8(ascii: "a"), 10, UInt8(ascii: "\""), 0xE9].randomElement(using: &generator)!
      default: return index % 97 == 0 ? 10 : UInt8(ascii: "x")
      }
    }
    for range in [0..<length, 1..<length, 7..<(length - 3), 0..<4_064, 0..<4_063, 5..<4_070, 100..<100, 3..<31] {
      let counted = bytes.withUnsafeBufferPointer { CSVReader.quotesAndLines(in: $0, range) }
      let expected = Self.naive(bytes, range)
      #expect(counted.quotes == expected.0 && counted.lines == expected.1, "range \(range)")
    }
  }
}

/// The word-at-a-time search for an unquoted cell's end must stop where a byte loop
/// stops: at a comma, CR or LF, never at a tab, another control byte or UTF-8.
@Suite struct CellEndTests {
  @Test func agreesWithAByteLoop() {
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = [0x2C, 10, 13, 9, 0, 1, 12, 14, 0x2B, 0x2D, 0x8C, 0xAC, 0xC3, 0xA9, 0x61, 0x20]
    for round in 0..<300 {
      // Sparse stops make runs longer than a word; dense ones stop within the first.
      let stops = round % 3 == 0 ? 2 : 40
      let bytes: [UInt8] = (0..<200).map { _ in
        Int.random(in: 0..<100, using: &generator) < stops
          ? [0x2C, 10, 13].randomElement(using: &generator)! : alphabet.randomElement(using: &generator)!
      }
      bytes.withUnsafeBufferPointer { file in
        for start in stride(from: 0, to: 200, by: 7) {
          let end = min(200, start + Int.random(in: 0...40, using: &generator))
          let expected = bytes[start..<end].firstIndex { $0 == 0x2C || $0 == 10 || $0 == 13 } ?? end
          let found = CSVReader.unquotedCellEnd(file, from: start, to: end)
          #expect(found == expected, "\(Array(bytes[start..<end])) from \(start)")
        }
      }
    }
  }
}

/// The import's cache of parsed dates must answer exactly what parsing answers, for
/// valid and invalid dates, repeated or not, and when many dates share a slot.
@Suite struct DayCacheTests {
  @Test func answersWhatParsingAnswers() {
    let cache = DayCache()
    var generator = SystemRandomNumberGenerator()
    var cells = ["2026-02-30", "2026-13-01", "2024-02-29", "2023-02-29", "0000-01-01", "2026-1-01", "2026-11-27T10:00"]
    for _ in 0..<20_000 {
      let year = Int.random(in: 1990...2035, using: &generator)
      let month = Int.random(in: 1...13, using: &generator)
      let day = Int.random(in: 0...31, using: &generator)
      cells.append(String(format: "%04d-%02d-%02d", year, month, day))
    }
    // Twice through: the second pass answers from the cache where it can.
    for cell in cells + cells {
      let bytes = Array(cell.utf8)
      let (cached, parsed) = bytes.withUnsafeBufferPointer { (cache.day($0), ValueParser.isoDay($0)) }
      #expect(cached == parsed, "\(cell)")
      if cached != parsed { break }
    }
  }
}
