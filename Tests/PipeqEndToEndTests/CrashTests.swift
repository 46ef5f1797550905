import Foundation
import PipeqCore
import Testing

/// Kill pipeq with SIGKILL while it streams changes; every acknowledged statement must
/// be there after reopening, and no statement may be half-applied.
@Suite struct CrashTests {
  /// At least 200 in CI; PIPEQ_CRASH_TRIALS asks for more.
  static let trials = max(200, Int(ProcessInfo.processInfo.environment["PIPEQ_CRASH_TRIALS"] ?? "") ?? 200)

  @Test func killedAtRandomPointsLosesNothingAcknowledged() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 60)
    var random = SplitMix64(seed: 4242)
    var acknowledgedTotal = 0
    var killedMidway = 0
    // (trial, statement) → the three deals it tags.
    var issued: [(trial: Int, tag: String, ids: [Int64], acknowledged: Bool)] = []
    for trial in 0..<Self.trials {
      let process = Process()
      process.executableURL = PipeqProcess.binary("pipeq")
      process.arguments = ["--db", pipeq.path("store.pipeq"), "--now", "2026-06-15", "--stream"]
      // Small checkpoints so kills also land inside checkpoints.
      process.environment = ["PIPEQ_CHECKPOINT_BYTES": String(2048 + random.below(16384))]
      let input = Pipe()
      let output = Pipe()
      process.standardInput = input
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      let count = 1 + random.below(12)
      var batch: [(tag: String, ids: [Int64])] = []
      var text = ""
      for statement in 0..<count {
        let ids = (0..<3).map { _ in Int64(1 + random.below(60)) }
        let tag = "t\(trial)_\(statement)"
        batch.append((tag, ids))
        text += "tag \(tag) where id in (\(ids.map(String.init).joined(separator: ", ")))\n"
      }
      input.fileHandleForWriting.write(text.data(using: .utf8)!)
      // Let a random number of statements through, then kill at a random moment, so
      // kills land before, during and after appends whatever the machine's speed.
      let waitFor = random.below(count + 1)
      var printed = ""
      let deadline = Date().addingTimeInterval(10)
      while printed.components(separatedBy: "\r\n").filter({ $0.hasPrefix("tag,") }).count < waitFor, Date() < deadline
      {
        printed += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
      }
      usleep(UInt32(random.below(3_000)))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      try? input.fileHandleForWriting.close()
      printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      // Each statement prints a header and one line once it is durable.
      let acknowledged = printed.components(separatedBy: "\r\n").filter { $0.hasPrefix("tag,") }.count
      acknowledgedTotal += acknowledged
      if acknowledged < count { killedMidway += 1 }
      for (index, statement) in batch.enumerated() {
        issued.append((trial, statement.tag, statement.ids, index < acknowledged))
      }
      try verify(pipeq.path("store.pipeq"), issued)
    }
    // The harness is only worth something if kills land mid-stream and statements get through.
    #expect(killedMidway > Self.trials / 10)
    #expect(acknowledgedTotal > Self.trials)
    // Small checkpoint sizes mean some kills landed around checkpoints too.
    #expect(!(try FileManager.default.contentsOfDirectory(atPath: pipeq.path("store.pipeq.history"))).isEmpty)
  }

  private func verify(_ path: String, _ issued: [(trial: Int, tag: String, ids: [Int64], acknowledged: Bool)]) throws {
    let database = try Database(path: path)
    let table = database.table
    var seenMissing = false
    var trial = -1
    for statement in issued {
      if statement.trial != trial {
        trial = statement.trial
        seenMissing = false
      }
      let carrying = Set(statement.ids).filter { id in
        table.row(of: id).map { table.tags.tags(at: $0).contains(statement.tag) } ?? false
      }
      let applied = carrying.count == Set(statement.ids).count
      #expect(carrying.isEmpty || applied, "\(statement.tag) is half-applied")
      if statement.acknowledged { #expect(applied, "acknowledged \(statement.tag) was lost") }
      // A process applies its statements in order: nothing after a missing one may be present.
      if applied { #expect(!seenMissing, "\(statement.tag) applied after a missing statement") }
      if !applied { seenMissing = true }
    }
  }
}
