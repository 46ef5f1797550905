import Foundation
import Testing

/// Every script in examples/ runs against a generated pipeline, and its output is checked.
@Suite struct ExamplesTests {
  static let examples = ["first-look.pq", "flush.pq"]

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
}
