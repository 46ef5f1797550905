import Foundation
import PipeqCore
import Testing

/// The promises a careless or hostile user tried to break: each test is one of those
/// tries, run as the user ran it.
@Suite struct TrustTests {
  func store() -> PipeqProcess {
    let pipeq = PipeqProcess()
    pipeq.write("deals.csv", CommandLineTests.fixture)
    #expect(pipeq.run(["-c", ".import deals.csv"]).status == 0)
    return pipeq
  }

  @Test func twoCheckpointsInARowKeepTheNextJournal() {
    let pipeq = store()
    #expect(pipeq.run(["-c", ".checkpoint"]).status == 0)
    #expect(pipeq.run(["-c", "set owner = \"Zed\" where id = 1", "-c", "close won where id = 2"]).status == 0)
    #expect(pipeq.run(["-c", ".checkpoint"]).status == 0)
    #expect(pipeq.run(["-c", ".checkpoint"]).status == 0)
    let history = pipeq.run(["-c", "history"]).stdout
    #expect(history.contains("#2,") && history.contains("#3,"), "\(history)")
    // Undo takes back the close, not the import.
    #expect(pipeq.run(["-c", "undo"]).status == 0)
    #expect(pipeq.run(["-c", "count where stage = won"]).stdout == "count\r\n1\r\n")
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
  }

  @Test func aCheckpointInsideAnAtomicRunWritesOnlyWhatIsKept() {
    let pipeq = store()
    pipeq.write("more.csv", "name,stage,value\nOmega,lead,10\nPsi,lead,20\n")
    let failed = pipeq.run(["--atomic", "-c", ".import more.csv", "-c", ".checkpoint", "-c", "list where nosuch = 1"])
    #expect(failed.status == 1)
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
    let kept = pipeq.run(["--atomic", "-c", ".import more.csv", "-c", ".checkpoint"])
    #expect(kept.status == 0, "\(kept.stderr)")
    #expect(kept.stdout.contains("the checkpoint will be written when the --atomic run is kept"))
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n6\r\n")
    #expect(pipeq.run(["-c", ".checkpoint"]).status == 0)
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n6\r\n")
  }

  @Test func atomicAndKeepGoingHoldForPipedStatements() {
    let pipeq = store()
    let piped = "set owner = \"P\" where id <= 3\nlist where nosuch = 1\n"
    #expect(pipeq.run(["--atomic"], stdin: piped).status == 1)
    #expect(pipeq.run(["-c", "count where owner = P"]).stdout == "count\r\n0\r\n")
    let going = pipeq.run(["--keep-going"], stdin: piped)
    #expect(going.status == 1)
    #expect(going.stderr.contains("1 statement failed: <stdin>:2:1"))
    #expect(pipeq.run(["-c", "count where owner = P"]).stdout == "count\r\n3\r\n")
  }

  /// README: "a typo on line 40 stops it before line 1 changes anything" — for every
  /// kind of mistake a plan finds, not only syntax.
  @Test(arguments: [
    "  where stage = wonn", "list nosuch", "  where created > today - 3x", "count where pipeline = nowhere",
    "count where last_interaction > 3000y",
  ])
  func aScriptIsCheckedWholeBeforeItChangesAnything(mistake: String) {
    let pipeq = store()
    pipeq.write("flush.pq", "tag checked where id > 0\nlist name\n\(mistake)\n")
    let result = pipeq.run(["flush.pq"])
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr.contains("flush.pq:3:"), "\(result.stderr)")
    #expect(pipeq.run(["-c", "count where tag = checked"]).stdout == "count\r\n0\r\n")
  }

  @Test func statementsThatDependOnEarlierOnesStillCheck() {
    let pipeq = store()
    pipeq.write("more.csv", "name,pipeline,stage,value\nOmega,partners,intro,10\n")
    pipeq.write(
      "setup.pq",
      "define big as value > 10k\ncount where big\n.import more.csv\ncount where stage = intro\nundo\nclose won where id = 1\n"
    )
    let result = pipeq.run(["setup.pq"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("count\r\n2\r\n"))
    #expect(result.stdout.contains("count\r\n1\r\n"))
  }

  @Test func aByteOrderMarkAndCarriageReturnsInAScriptAreReadAsText() {
    let pipeq = store()
    let bom = "\u{FEFF}count\rcount where stage = won\r"
    let piped = pipeq.run([], stdin: bom)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdout == "count\r\n4\r\ncount\r\n1\r\n")
    pipeq.write("bom.pq", bom)
    #expect(pipeq.run(["bom.pq"]).stdout == "count\r\n4\r\ncount\r\n1\r\n")
  }

  @Test func theStoresOwnFilesAreNeverAnExportTarget() {
    let pipeq = store()
    let journal = pipeq.path("store.pipeq.journal")
    for command in [".output \(journal)", ".export \(journal)", ".export \(pipeq.path("store.pipeq"))"] {
      let result = pipeq.run(["-c", command, "-c", "count"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("is one of the store's own files"), "\(result.stderr)")
    }
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
  }

  @Test func deletingTheStateFileDoesNotLetASecondWriterIn() throws {
    let pipeq = store()
    let (holder, input) = try pipeq.holdOpen(expecting: "4")
    for leftover in ["store.pipeq.state", "store.pipeq.lock"] {
      try? FileManager.default.removeItem(atPath: pipeq.path(leftover))
    }
    let second = pipeq.run(["-c", "tag x where id = 1"])
    #expect(second.status == 1)
    #expect(second.stderr.contains("is in use"), "\(second.stderr)")
    try input.fileHandleForWriting.close()
    holder.waitUntilExit()
  }

  @Test func aSymlinkedStoreIsItsTarget() throws {
    let pipeq = store()
    try FileManager.default.createSymbolicLink(
      atPath: pipeq.path("link"), withDestinationPath: pipeq.path("store.pipeq"))
    #expect(pipeq.run(["--db", pipeq.path("link"), "-c", "tag linked where id = 1"]).status == 0)
    #expect(pipeq.run(["-c", "count where tag = linked"]).stdout == "count\r\n1\r\n")
    #expect(pipeq.run(["--db", pipeq.path("link"), "-c", ".checkpoint"]).status == 0)
    #expect(FileKindProbe.isSymlink(pipeq.path("link")))
    #expect(!FileManager.default.fileExists(atPath: pipeq.path("link.journal")))
    #expect(pipeq.run(["-c", "count where tag = linked"]).stdout == "count\r\n1\r\n")
  }

  @Test func aFlippedBitInTheLastRecordIsDamageNotACrash() throws {
    let pipeq = store()
    #expect(pipeq.run(["-c", "tag a where id = 1"]).status == 0)
    let journal = URL(fileURLWithPath: pipeq.path("store.pipeq.journal"))
    var bytes = try Data(contentsOf: journal)
    bytes[bytes.count - 3] ^= 0x10
    try bytes.write(to: journal)
    let refused = pipeq.run(["-c", "count"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("is damaged at byte"), "\(refused.stderr)")
    #expect(refused.stderr.contains("record #2: tag a where id = 1"))
    #expect(refused.stderr.contains("--recover"))
    #expect(try Data(contentsOf: journal) == bytes)
    let recovered = pipeq.run(["--recover", "-c", "count where tag = a"])
    #expect(recovered.status == 0)
    #expect(recovered.stdout == "count\r\n0\r\n")
    #expect(recovered.stderr.contains("damaged journal bytes cut off by --recover"))
    // Told again at the next open, while the bytes are kept.
    #expect(pipeq.run(["-c", "count"]).stderr.contains(".damaged-"))
  }

  @Test func aShortenedLastRecordAfterACleanCloseIsDamage() throws {
    let pipeq = store()
    #expect(pipeq.run(["-c", "tag a where id = 1"]).status == 0)
    let journal = URL(fileURLWithPath: pipeq.path("store.pipeq.journal"))
    let bytes = try Data(contentsOf: journal)
    try bytes.prefix(bytes.count - 5).write(to: journal)
    let refused = pipeq.run(["-c", "count"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("though pipeq closed the store cleanly"), "\(refused.stderr)")
    // With the clean close forgotten (as after a crash), the tail is cut as torn.
    try FileManager.default.removeItem(atPath: pipeq.path("store.pipeq.state"))
    let cut = pipeq.run(["-c", "count where tag = a"])
    #expect(cut.status == 0)
    #expect(cut.stderr.contains("the last journal record was unfinished"))
    #expect(pipeq.run(["-c", "count"]).stderr.contains("an unfinished record cut off after a crash"))
  }

  @Test func inputThatIsNotARegularFileIsBounded() {
    let pipeq = store()
    let zero = pipeq.run(["--db", "/dev/zero", "-c", "count"], defaults: false)
    #expect(zero.status == 1)
    #expect(zero.stderr.contains("is not a regular file"))
    #expect(!FileManager.default.fileExists(atPath: "/dev/zero.lock"))
    #expect(!FileManager.default.fileExists(atPath: "/dev/zero.state"))
    let folder = pipeq.run(["--db", pipeq.folder.path, "-c", "count"], defaults: false)
    #expect(folder.status == 1)
    let read = pipeq.run(["-c", ".read /dev/zero"])
    #expect(read.status == 1)
    #expect(read.stderr.contains("more than 1 GiB"), "\(read.stderr)")
  }

  @Test func anExportToADeviceWritesItWithoutReplacingIt() throws {
    let pipeq = store()
    #expect(pipeq.run(["-c", ".export /dev/null"]).status == 0)
    var stats = stat()
    #expect(stat("/dev/null", &stats) == 0 && (stats.st_mode & S_IFMT) == S_IFCHR)
    let missing = pipeq.run(["-c", ".export \(pipeq.path("nodir/out.csv"))"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("cannot write \(pipeq.path("nodir/out.csv")): No such file or directory"))
    #expect(!missing.stderr.contains(".tmp-"))
  }

  @Test func outputWriteErrorsFailTheRun() {
    let pipeq = store()
    let full = pipeq.run(["-c", "list", "-c", ".output /dev/full", "-c", "list"])
    #expect(full.status == 1)
    #expect(full.stderr.contains("cannot write to /dev/full"), "\(full.stderr)")
  }

  @Test func outputFilesAreReadableByTheOwnerOnly() throws {
    let pipeq = store()
    #expect(pipeq.run(["-c", ".output \(pipeq.path("out.txt"))", "-c", "count"]).status == 0)
    let mode = try FileManager.default.attributesOfItem(atPath: pipeq.path("out.txt"))[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func escapeSequencesInNamesAreShownNotSent() {
    let pipeq = PipeqProcess()
    pipeq.write("evil.csv", "name,stage,value\n\"\u{1B}[2J\u{1B}]0;owned\u{07}Evil\",\u{1B}[31mred,10\n")
    let imported = pipeq.run(["--format", "table", "-c", ".import evil.csv", "-c", "list name, stage", "-c", "board"])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(!imported.stdout.contains("\u{1B}"))
    #expect(!imported.stderr.contains("\u{1B}"))
    #expect(imported.stdout.contains("^[[2J^[]0;owned^GEvil"))
  }

  @Test func plantedSymlinksAreNeverWrittenThrough() throws {
    let pipeq = store()
    let victim = pipeq.path("victim")
    pipeq.write("victim", "precious\n")
    // Every name pipeq creates beside the store, planted as a symlink to the victim.
    for name in ["store.pipeq.next", "store.pipeq.lock", "store.pipeq.journal.tmp-\(getpid())"] {
      try FileManager.default.createSymbolicLink(atPath: pipeq.path(name), withDestinationPath: victim)
    }
    #expect(pipeq.run(["-c", "tag a where id = 1", "-c", ".checkpoint"]).status == 0)
    try? FileManager.default.removeItem(atPath: pipeq.path("store.pipeq.state"))
    try FileManager.default.createSymbolicLink(atPath: pipeq.path("store.pipeq.state"), withDestinationPath: victim)
    #expect(pipeq.run(["-c", "tag b where id = 1"]).status == 0)
    #expect(pipeq.read("victim") == "precious\n")
    #expect(pipeq.run(["-c", "count where tag = a and tag = b"]).stdout == "count\r\n1\r\n")
  }

  @Test func formulaCellsAreNeutralisedInExportsAndComeBackWhole() {
    let pipeq = PipeqProcess()
    pipeq.write(
      "in.csv",
      "name,account,stage,value,tags\n\"=HYPERLINK(\"\"http://x\"\")\",+cmd|' /C calc'!A0,lead,10,\"a\\;b;c\"\n@SUM(1+1),-x,lead,20,\n"
    )
    #expect(pipeq.run(["-c", ".import in.csv"]).status == 0)
    #expect(pipeq.run(["-c", ".export \(pipeq.path("out.csv"))"]).status == 0)
    let exported = pipeq.read("out.csv")
    #expect(exported.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
    #expect(exported.contains(",'+cmd|' /C calc'!A0,"))
    #expect(exported.contains("'@SUM(1+1)"))
    #expect(pipeq.run(["-c", ".export \(pipeq.path("raw.csv")) raw"]).status == 0)
    #expect(pipeq.read("raw.csv").contains("\n2,@SUM(1+1),-x,"))
    // Re-imported, every cell is what it was.
    let again = PipeqProcess()
    again.write("out.csv", exported)
    #expect(again.run(["-c", ".import out.csv"]).status == 0)
    #expect(
      again.run(["-c", "list name, account, tags"]).stdout == pipeq.run(["-c", "list name, account, tags"]).stdout)
    #expect(again.run(["-c", "count where tag = 'a;b'"]).stdout == "count\r\n1\r\n")
  }
}

/// `lstat`, for checking that a symlink stayed one.
enum FileKindProbe {
  static func isSymlink(_ path: String) -> Bool {
    var stats = stat()
    return lstat(path, &stats) == 0 && (stats.st_mode & S_IFMT) == S_IFLNK
  }
}

/// Readers and kills around checkpoints, run as separate processes.
@Suite struct CheckpointTrials {
  /// A writer checkpointing after every statement while readers open the store: every
  /// read sees a whole state (before or after a change), none fails.
  @Test func readersNeverFailDuringCheckpoints() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 400)
    let writer = Process()
    writer.executableURL = PipeqProcess.binary("pipeq")
    writer.arguments = ["--db", pipeq.path("store.pipeq"), "--now", "2026-06-15", "--stream"]
    writer.environment = ["PIPEQ_CHECKPOINT_BYTES": "1"]
    let input = Pipe()
    writer.standardInput = input
    writer.standardOutput = FileHandle.nullDevice
    try writer.run()
    var failures: [String] = []
    for round in 0..<60 {
      input.fileHandleForWriting.write("tag r\(round) where id <= 400\n.checkpoint\n".data(using: .utf8)!)
      let read = pipeq.run(["--read-only", "-c", "count"])
      if read.status != 0 || read.stdout != "count\r\n400\r\n" { failures.append(read.stderr + read.stdout) }
    }
    try input.fileHandleForWriting.close()
    writer.waitUntilExit()
    #expect(failures.isEmpty, "\(failures.prefix(3))")
    #expect(pipeq.run(["-c", "count where tag = r59"]).stdout == "count\r\n400\r\n")
  }

  /// Kills at random moments of runs that checkpoint twice in a row and of --atomic
  /// runs: whatever was acknowledged is there, an atomic run is all or nothing, and the
  /// history keeps every acknowledged record.
  @Test func killsAroundRepeatedCheckpointsAndAtomicRunsLoseNothing() throws {
    let pipeq = PipeqProcess()
    pipeq.generatedStore(count: 60)
    var random = SplitMix64(seed: 77)
    var acknowledged: [String] = []
    for trial in 0..<40 {
      let atomic = trial % 2 == 1
      let process = Process()
      process.executableURL = PipeqProcess.binary("pipeq")
      let tag = "k\(trial)"
      var arguments = ["--db", pipeq.path("store.pipeq"), "--now", "2026-06-15"]
      if atomic { arguments.append("--atomic") }
      arguments += ["-c", ".checkpoint", "-c", ".checkpoint", "-c", "tag \(tag) where id <= 30", "-c", ".checkpoint"]
      arguments += ["-c", "tag \(tag)b where id > 30"]
      process.arguments = arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(random.below(400_000)))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let finished = process.terminationReason == .exit && process.terminationStatus == 0
      let first = pipeq.run(["-c", "count where tag = \(tag)"]).stdout
      let second = pipeq.run(["-c", "count where tag = \(tag)b"]).stdout
      if finished { #expect(first == "count\r\n30\r\n" && second == "count\r\n30\r\n", "trial \(trial)") }
      #expect(["count\r\n0\r\n", "count\r\n30\r\n"].contains(first), "trial \(trial): \(first)")
      if atomic {
        #expect((first == "count\r\n0\r\n") == (second == "count\r\n0\r\n"), "atomic trial \(trial) half kept")
      }
      if first == "count\r\n30\r\n" { acknowledged.append(tag) }
    }
    let history = pipeq.run(["-c", "history"]).stdout
    for tag in acknowledged { #expect(history.contains("tag \(tag) where") || history.contains("atomic run")) }
    #expect(!acknowledged.isEmpty)
  }
}

@Suite struct ScriptCheckFileTests {
  /// A script that writes a file and reads it back: the read cannot be checked before the
  /// file exists, so the check leaves it to the run.
  @Test func aFileWrittenEarlierInTheScriptCanBeReadLater() {
    let pipeq = PipeqProcess()
    pipeq.write("deals.csv", CommandLineTests.fixture)
    #expect(pipeq.run(["-c", ".import deals.csv"]).status == 0)
    let out = pipeq.path("round.csv")
    let result = pipeq.run(["-c", ".export \(out)", "-c", ".import \(out)", "-c", "count"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("import,0,4,false"))
    #expect(result.stdout.hasSuffix("count\r\n4\r\n"))
    let defs = pipeq.path("saved.pq")
    #expect(
      pipeq.run(["-c", "define big as value > 10k", "-c", ".export-defs \(defs)", "-c", ".read \(defs)"]).status == 0)
  }
}
