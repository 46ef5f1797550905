import PipeqCore

#if canImport(Glibc)
  import Glibc
#endif

// SwiftPM links its own `main`, which hides libFuzzer's: this one hands control to
// libFuzzer explicitly. PIPEQ_FUZZ_TARGET picks what to fuzz.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

enum Target: String { case snapshot, journal, parser, statements }

/// The pieces a grammar-aware input is made of: each input byte picks one, so the
/// fuzzer writes statements rather than noise, weighted to the edges that crashed
/// before: huge numbers, deep nesting, year 1 and 9999, long chains.
let pieces: [String] = [
  "count", "list", "sum value by", "count by month(expected_close)", "trend count by month", "health", "board",
  "funnel", "stale", "team", "close won", "close lost", "move to", "tag x", "untag x", "set", "delete", "explain",
  "define f as", "undo", "where", "and", "or", "not", "(", ")", ",", "=", "!=", "<", "<=", ">", ">=", "~", "in",
  "between", "is empty", "order by", "limit", "as of", "id", "value", "created", "expected_close", "closed",
  "last_interaction", "idle", "age", "stage_age", "stage", "owner", "name", "tags", "probability", "weighted",
  "lead", "won", "lost", "proposal", "today", "tomorrow", "+", "-", "*", "/", "1", "0", "-1", "3000000000",
  "9223372036854775807", "-9223372036854775808", "99999999999999999999999k", "1e308", "0.005", "8999999999999999",
  "1d", "90d", "999999w", "9999999y", "3000y", "100000y", "6mo", "1q", "0001-01-01", "9999-12-31", "9999-12",
  "2026-q4", "0000-12-31", "10000-01-01", "in last 90d", "in this year", "in last quarter", "\"text\"", "'it''s'",
  "value * 1.1", "value + 1", "expected_close + 1d", "created - 999999w", "f", ";", "\n",
  String(repeating: "(", count: 70), String(repeating: "not ", count: 70), String(repeating: " or id = 1", count: 300),
]

/// The statement text an input's bytes spell out, a piece per byte.
func statementText(_ bytes: [UInt8]) -> String {
  bytes.map { pieces[Int($0) % pieces.count] }.joined(separator: " ")
}

nonisolated(unsafe) var target = Target.parser
/// Statements run for real against a small in-memory pipeline, in dry-run mode.
nonisolated(unsafe) let engine: Engine = {
  let database = Database()
  let today = Day(iso: "2026-06-15")!
  let csv = PipelineGenerator(seed: 1, today: today).csv(count: 40)
  if let (mutation, _) = try? CSVImporter(table: database.table, today: today).makeMutation(
    bytes: Array(csv.utf8), fileName: "seed.csv", statement: "")
  {
    _ = try? database.commit(mutation)
  }
  return Engine(database: database, options: .init(today: today, dryRun: true))
}()

/// libFuzzer's own entry point; its runtime refers to it even when main is ours.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { fuzzOne(data, size) }

/// Every input must give a value or a clean error: a crash or a sanitizer report is a bug.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
  switch target {
  case .snapshot:
    if let table = try? SnapshotFormat.decode(bytes) {
      // Whatever decodes must re-encode to the same bytes' meaning.
      precondition((try? SnapshotFormat.decode(SnapshotFormat.encode(table))) == table)
      _ = table.count > 0 ? table.value(.status, at: 0, today: Day(number: 0)) : .empty
    }
  case .journal:
    if let contents = try? JournalFormat.read(bytes) {
      precondition(contents.validEnd <= bytes.count)
      for record in contents.records { _ = record.dealIDs.count }
    }
  case .parser:
    let source = SourceText(name: "fuzz", text: String(decoding: bytes, as: UTF8.self))
    for span in StatementSplitter.split(source) {
      guard let statement = try? Parser.parse(source, span: span) else { continue }
      if case .meta = statement { continue }
      _ = try? engine.execute(statement, source: source, span: span)
    }
    _ = StatementSplitter.needsMore(source.text)
  case .statements:
    let source = SourceText(name: "fuzz", text: statementText(bytes))
    for span in StatementSplitter.split(source) {
      guard let statement = try? Parser.parse(source, span: span) else { continue }
      if case .meta = statement { continue }
      _ = try? engine.execute(statement, source: source, span: span)
    }
  }
  return 0
}

if let name = getenv("PIPEQ_FUZZ_TARGET"), let chosen = Target(rawValue: String(cString: name)) {
  target = chosen
} else {
  print("set PIPEQ_FUZZ_TARGET to snapshot, journal, parser or statements")
  exit(2)
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
