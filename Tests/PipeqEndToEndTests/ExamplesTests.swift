import Foundation
import Testing

/// Every script in examples/ runs against a generated pipeline, and its output is checked.
@Suite struct ExamplesTests {
  static let examples = ["first-look.pq", "flush.pq", "monday-review.pq", "month-end.pq", "import-spreadsheet.pq"]

  @Test func everyExampleIsCovered() throws {
    let files = try FileManager.default.contentsOfDirectory(
      atPath: PipeqProcess.repositoryRoot.appendingPathComponent("examples").path)
    #expect(Set(files.filter { $0.hasSuffix(".pq") }) == Set(Self.examples))
  }

  static func example(_ name: String) -> String {
    PipeqProcess.repositoryRoot.appendingPathComponent("examples/\(name)").path
  }

  @Test func flushClosesTheDeadDealsAndNothingElse() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore()
    let filter = "stage != won and last_interaction > 90d"
    let dead = pipeq.run(["-c", "count where \(filter)"]).stdout
    let deadCount = Int(dead.split(separator: "\r\n")[1])!
    let alreadyLost = Int(
      pipeq.run(["-c", "count where \(filter) and stage = lost"]).stdout.split(separator: "\r\n")[1])!
    let lostBefore = Int(pipeq.run(["-c", "count where stage = lost"]).stdout.split(separator: "\r\n")[1])!
    #expect(deadCount > 100)

    let result = pipeq.run(["--format", "table", Self.example("flush.pq")])
    #expect(result.status == 0, "\(result.stderr)")
    let changed = deadCount - alreadyLost
    #expect(
      result.stdout.contains(
        "closed \(changed.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) deals as lost; \(alreadyLost) were already lost"
      ))
    #expect(
      result.stdout.contains(
        "(10 of \(deadCount.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) deals)"))
    let lostAfter = Int(pipeq.run(["-c", "count where stage = lost"]).stdout.split(separator: "\r\n")[1])!
    #expect(lostAfter == lostBefore + changed)
    #expect(pipeq.run(["-c", "count where status = open and last_interaction > 90d"]).stdout == "count\r\n0\r\n")
    #expect(
      pipeq.run(["-c", "count where lost_reason = 'no activity in 90 days'"]).stdout == "count\r\n\(changed)\r\n")
  }

  @Test func flushDryRunChangesNothing() {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 500)
    let before = pipeq.run(["-c", ".export before.csv"])
    #expect(before.status == 0)
    let result = pipeq.run(["--dry-run", "--format", "table", Self.example("flush.pq")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("would close"))
    #expect(result.stdout.contains("(dry run: nothing was changed)"))
    _ = pipeq.run(["-c", ".export after.csv"])
    #expect(pipeq.read("before.csv") == pipeq.read("after.csv"))
  }

  @Test func firstLookShowsThePipelineByStageAndOwner() {
    let pipeq = PipeqProcess()
    pipeq.generatedStore()
    let result = pipeq.run(["--format", "table", Self.example("first-look.pq")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("count\n-----\n2,000\n"))
    #expect(result.stdout.contains("pipeline  count"))
    #expect(result.stdout.contains("partners"))
    for owner in ["alice", "bob", "carol", "dave", "erin", "frank"] { #expect(result.stdout.contains(owner)) }
    let total = pipeq.run(["-c", "count by stage"]).stdout.split(separator: "\r\n").dropFirst()
      .map { Int($0.split(separator: ",")[1])! }.reduce(0, +)
    #expect(total == 2000)
  }

  @Test func importThenExportReproducesTheSpreadsheet() {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 1500)
    #expect(pipeq.run(["-c", ".export a.csv"]).status == 0)
    #expect(pipeq.run(["--db", pipeq.path("copy.pipeq"), "-c", ".import a.csv", "-c", ".export b.csv"]).status == 0)
    #expect(pipeq.read("a.csv") == pipeq.read("b.csv"))
    #expect(pipeq.read("a.csv").replacingOccurrences(of: "\r\n", with: "\n") == pipeq.read("deals.csv"))
  }

  @Test func mondayReviewPerOwner() {
    let pipeq = PipeqProcess()
    pipeq.generatedStore()
    let result = pipeq.run(["--format", "table", "--set", "owner=alice", Self.example("monday-review.pq")])
    #expect(result.status == 0, "\(result.stderr)")
    // The stale count per owner agrees with the same filter written out.
    let stale = pipeq.run(["-c", "count where owner = alice and status = open and idle > 30d"]).stdout
      .split(separator: "\r\n")[1]
    #expect(
      result.stdout.contains(
        "alice  \(String(stale).count < 5 ? String(repeating: " ", count: 5 - String(stale).count) : "")\(stale)"))
    // The review lists alice's biggest open deals.
    let top = pipeq.run(["-c", "list id where owner = alice and status = open order by value desc limit 1"]).stdout
      .split(separator: "\r\n")[1]
    #expect(result.stdout.contains("\n\(top) ") || result.stdout.contains(" \(top)  "))
    let missing = pipeq.run([Self.example("monday-review.pq")])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no value was given for $owner"))
    #expect(missing.stderr.contains("monday-review.pq:23:8\n23 | review $owner"))
  }

  @Test func monthEndReportForAPeriod() {
    let pipeq = PipeqProcess()
    pipeq.generatedStore()
    let result = pipeq.run(["--set", "start=2026-05-01", "--set", "end=2026-05-31", Self.example("month-end.pq")])
    #expect(result.status == 0, "\(result.stderr)")
    let won = pipeq.run(["-c", "count where status = won and closed between 2026-05-01 and 2026-05-31"]).stdout
      .split(separator: "\r\n")[1]
    let perOwner = result.stdout.components(separatedBy: "\r\n").drop { $0 != "owner,count" }.dropFirst()
      .prefix { $0.contains(",") && !$0.hasPrefix("owner,") }.map { Int($0.split(separator: ",")[1])! }
    #expect(perOwner.reduce(0, +) == Int(won)!)
    #expect(result.stdout.contains("lost_reason,count\r\n"))
    #expect(result.stdout.contains("source,count\r\n"))
    // The dashboard at the end: the month's won count is the one counted above (USD only).
    let usdWon = pipeq.run([
      "-c", "count where status = won and currency = USD and closed between 2026-05-01 and 2026-05-31",
    ]).stdout.split(separator: "\r\n")[1]
    #expect(result.stdout.contains("metric,current,previous,change\r\n"))
    #expect(result.stdout.contains("won_count,\(usdWon),"))
  }

  @Test func importASpreadsheetAsItIs() {
    let pipeq = PipeqProcess()
    let process = Process()
    process.executableURL = PipeqProcess.binary("pipeq")
    process.arguments = [
      "--db", pipeq.path("team.pipeq"), "--now", "2026-11-27", "--format", "table",
      Self.example("import-spreadsheet.pq"),
    ]
    process.currentDirectoryURL = PipeqProcess.repositoryRoot
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try! process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(stderr)")
    #expect(stdout.hasPrefix("imported 7 deals from examples/spreadsheet.csv\n"))
    #expect(stderr.contains("note: new stage in 'sales': Negotiation"))
    #expect(stderr.contains("note: ignored unknown column: Notes"))
    #expect(stdout.contains("\nwon              1\n"))
    #expect(stdout.contains("\nlost             1\n"))
    #expect(stdout.contains(" 1  Platform expansion  Alice  qualified       48,000  2026-12-15"))
  }
}
