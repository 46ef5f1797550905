import Foundation
import Testing

/// A full disk and a second process: the statement is refused, the store stays whole.
@Suite struct DiskTests {
  func shell(_ command: String, in pipeq: PipeqProcess) -> PipeqProcess.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = pipeq.folder
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try! process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return .init(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  @Test func fileSizeLimitRefusesTheStatementAndKeepsTheStore() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 300)
    _ = pipeq.run(["-c", ".export before.csv"])
    let journal = try FileManager.default.attributesOfItem(atPath: pipeq.path("store.pipeq.journal"))[.size] as! Int
    let limitKiB = journal / 1024 + 4
    let long = String(repeating: "x", count: 100)
    let binary = PipeqProcess.binary("pipeq").path
    let result = shell(
      "ulimit -f \(limitKiB); exec '\(binary)' --db store.pipeq --now 2026-06-15 -c \"set name = '\(long)' where id > 0\"",
      in: pipeq)
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write"), "\(result.stderr)")
    #expect(result.stderr.contains("File too large"))
    #expect(result.stderr.contains("nothing was changed"))
    let after = try FileManager.default.attributesOfItem(atPath: pipeq.path("store.pipeq.journal"))[.size] as! Int
    #expect(after == journal, "the journal is cut back to its last good record")
    _ = pipeq.run(["-c", ".export after.csv"])
    #expect(pipeq.read("before.csv") == pipeq.read("after.csv"))
    // A small change still fits under the limit.
    let small = shell(
      "ulimit -f \(limitKiB); exec '\(binary)' --db store.pipeq --now 2026-06-15 -c 'tag ok where id = 1'", in: pipeq)
    #expect(small.status == 0, "\(small.stderr)")
  }

  @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
  func aRealFullDisk() throws {
    let pipeq = PipeqProcess()
    let mountPoint = pipeq.path("small")
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    let mounted = shell("mount -t tmpfs -o size=192k tmpfs '\(mountPoint)'", in: pipeq)
    try #require(mounted.status == 0, "mount failed: \(mounted.stderr)")
    defer { _ = shell("umount '\(mountPoint)'", in: pipeq) }
    let store = mountPoint + "/store.pipeq"
    let generated = pipeq.run(
      ["--deals", "200", "--today", "2026-06-15", "-o", pipeq.path("deals.csv")], tool: "pipeq-gen")
    #expect(generated.status == 0)
    #expect(pipeq.run(["--db", store, "-c", ".import deals.csv"]).status == 0)
    var last = PipeqProcess.Result(status: 0, stdout: "", stderr: "")
    var round = 0
    while last.status == 0 && round < 100 {
      _ = pipeq.run(["--db", store, "-c", ".export \(pipeq.path("acknowledged.csv"))"])
      last = pipeq.run(["--db", store, "-c", "set name = '\(String(repeating: "n", count: 80))\(round)' where id > 0"])
      round += 1
    }
    #expect(last.status == 1)
    #expect(last.stderr.contains("No space left on device"), "\(last.stderr)")
    #expect(last.stderr.contains("nothing was changed"))
    let reopened = pipeq.run(["--db", store, "-c", ".export \(pipeq.path("reopened.csv"))"])
    #expect(reopened.status == 0, "\(reopened.stderr)")
    #expect(pipeq.read("reopened.csv") == pipeq.read("acknowledged.csv"))
  }

  @Test func oneWriterAtATime() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 50)
    // Wait for the first answer: the holder has the store open.
    let (holder, input) = try pipeq.holdOpen(expecting: "50")
    let second = pipeq.run(["-c", "tag x where id = 1"])
    #expect(second.status == 1)
    #expect(second.stderr.contains("is in use by PID \(holder.processIdentifier)"), "\(second.stderr)")
    #expect(second.stderr.contains("--read-only"))
    let reader = pipeq.run(["--read-only", "-c", "count"])
    #expect(reader.status == 0)
    #expect(reader.stdout == "count\r\n50\r\n")
    let readerWrites = pipeq.run(["--read-only", "-c", "tag x where id = 1"])
    #expect(readerWrites.status == 1)
    #expect(readerWrites.stderr.contains("read-only"))
    try input.fileHandleForWriting.close()
    holder.waitUntilExit()
    #expect(holder.terminationStatus == 0)
    #expect(pipeq.run(["-c", "tag x where id = 1"]).status == 0)
  }
}
