import Foundation
import Testing

/// Runs the built `pipeq` binary in a scratch folder, as a user would.
struct PipeqProcess {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  let folder: URL

  init() {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeq-e2e-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  /// The folder holding the test bundle also holds the products it depends on.
  static func binary(_ name: String) -> URL {
    let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
      let url = candidate.appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/\(name)")
  }

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  func write(_ name: String, _ text: String) {
    try! text.write(toFile: path(name), atomically: true, encoding: .utf8)
  }

  func read(_ name: String) -> String {
    (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
  }

  /// Runs pipeq with `arguments`; `--db` and `--now` default to a store here and 2026-06-15.
  @discardableResult
  func run(_ arguments: [String], stdin: String? = nil, tool: String = "pipeq", defaults: Bool = true) -> Result {
    let process = Process()
    process.executableURL = Self.binary(tool)
    var args = arguments
    if defaults && tool == "pipeq" {
      if !args.contains("--db") { args = ["--db", path("store.pipeq")] + args }
      if !args.contains("--now") { args = ["--now", "2026-06-15"] + args }
    }
    process.arguments = args
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try! process.run()
    if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
    try? input.fileHandleForWriting.close()
    // Read both pipes before waiting so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// A store holding the generated pipeline of `count` deals, from pipeq-gen's CSV.
  /// A pipeq that keeps the store open as a writer (it has answered `count`, which
  /// printed `expected`); close the returned input to let it finish.
  func holdOpen(expecting expected: String) throws -> (Process, Pipe) {
    let holder = Process()
    holder.executableURL = Self.binary("pipeq")
    holder.arguments = ["--db", path("store.pipeq"), "--now", "2026-06-15", "--stream"]
    let input = Pipe()
    let output = Pipe()
    holder.standardInput = input
    holder.standardOutput = output
    try holder.run()
    input.fileHandleForWriting.write("count\n".data(using: .utf8)!)
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains(expected) {
      seen.append(output.fileHandleForReading.availableData)
    }
    return (holder, input)
  }

  func generatedStore(count: Int = 2000) {
    let gen = run(["--deals", String(count), "--today", "2026-06-15", "-o", path("deals.csv")], tool: "pipeq-gen")
    #expect(gen.status == 0, "\(gen.stderr)")
    let imported = run(["-c", ".import \(path("deals.csv"))"])
    #expect(imported.status == 0, "\(imported.stderr)")
  }
}
