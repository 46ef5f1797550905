/// RFC 4180 records with any separator, as strings, each with the line it starts on:
/// the reader for exports that need rewriting (a `;` file, a Windows-1252 one), where
/// clarity matters more than the fast import's speed. A leading BOM is skipped; cells
/// are trimmed.
struct CSVRecords {
  struct Record {
    var cells: [String]
    var line: Int
  }

  static func read(_ bytes: [UInt8], separator: UInt8, limit: Int = .max) -> [Record] {
    readChecked(bytes, separator: separator, limit: limit).records
  }

  /// The records, and the line of a quoted cell that is never closed.
  static func readChecked(_ bytes: [UInt8], separator: UInt8, limit: Int = .max, progress: WorkProgress? = nil) -> (
    records: [Record], openQuote: Int?
  ) {
    var reported = 0
    var records: [Record] = []
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var line = 1
    var cells: [String] = []
    var cell: [UInt8] = []
    var quoted = false
    var quoteLine = 1
    var recordLine = 1
    func endCell() {
      cells.append(String(decoding: cell, as: UTF8.self).trimmedFast)
      cell.removeAll(keepingCapacity: true)
    }
    func endRecord() {
      endCell()
      if !(cells.count == 1 && cells[0].isEmpty) { records.append(Record(cells: cells, line: recordLine)) }
      cells.removeAll()
      if records.count & 8191 == 0, let progress {
        progress.advance(by: index - reported, rows: 8192)
        reported = index
      }
    }
    while index < bytes.count, records.count < limit {
      let byte = bytes[index]
      index += 1
      if quoted {
        if byte == 0x22 {
          if index < bytes.count, bytes[index] == 0x22 {
            cell.append(0x22)
            index += 1
          } else {
            quoted = false
          }
        } else {
          if byte == 0x0A { line += 1 }
          cell.append(byte)
        }
        continue
      }
      switch byte {
      case 0x22:
        quoted = true
        quoteLine = line
      case separator: endCell()
      case 0x0D where index < bytes.count && bytes[index] == 0x0A: continue
      case 0x0A, 0x0D:
        endRecord()
        line += 1
        recordLine = line
      default: cell.append(byte)
      }
    }
    if !cell.isEmpty || !cells.isEmpty { endRecord() }
    progress?.advance(by: bytes.count - reported, rows: records.count & 8191)
    return (records, quoted ? quoteLine : nil)
  }
}
