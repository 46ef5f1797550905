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

enum Target: String { case snapshot, journal, parser }

nonisolated(unsafe) var target = Target.parser
/// Statements run for real against a small in-memory pipeline, in dry-run mode.
nonisolated(unsafe) let engine: Engine = {
  let database = Database()
  let today = Day(iso: "2026-06-15")!
  let csv = PipelineGenerator(seed: 1, today: today).csv(count: 40)
  if let (mutation, _) = try? CSVImporter(table: database.table, today: today).makeMutation(
    bytes: Array(csv.utf8), fileName: "seed.csv", statement: "")
  {
    try? database.commit(mutation)
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
  }
  return 0
}

if let name = getenv("PIPEQ_FUZZ_TARGET"), let chosen = Target(rawValue: String(cString: name)) {
  target = chosen
} else {
  print("set PIPEQ_FUZZ_TARGET to snapshot, journal or parser")
  exit(2)
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
