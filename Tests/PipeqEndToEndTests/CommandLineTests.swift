import Foundation
import PipeqCore
import Testing

@Suite struct CommandLineTests {
  static let fixture = """
    id,name,account,owner,stage,value,currency,source,tags,created,last_interaction
    1,Alpha,Acme,alice,lead,1000,USD,referral,priority,2026-01-10,2026-06-10
    2,Beta,Müller GmbH,bob,qualified,"$50,000",USD,website,,2025-12-01,2026-03-01
    3,Gamma,Globex,carol,won,20000,USD,,,2025-10-01,2026-05-01
    4,Delta,Acme,carol,lost,7000,USD,event,,2025-09-01,2026-01-10
    """

  func fixtureStore() -> PipeqProcess {
    let pipeq = PipeqProcess()
    pipeq.write("deals.csv", Self.fixture)
    let result = pipeq.run(["-c", ".import deals.csv"])
    #expect(result.status == 0)
    #expect(result.stdout == "action,changed,unchanged,dry_run\r\nimport,4,0,false\r\n")
    return pipeq
  }

  @Test func statementsRunInOrderAsCSVWhenPiped() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", "count", "-c", "count by stage", "-c", "sum value by owner"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(
      result.stdout == """
        count\r
        4\r
        stage,count\r
        lead,1\r
        qualified,1\r
        won,1\r
        lost,1\r
        owner,sum\r
        alice,1000\r
        bob,50000\r
        carol,27000\r

        """)
  }

  /// `--db :memory:` reads a spreadsheet, answers and acts on it, undoes, and leaves no
  /// file behind.
  @Test func aStoreInMemoryWritesNothing() throws {
    let pipeq = PipeqProcess()
    pipeq.write("deals.csv", Self.fixture)
    let result = pipeq.run([
      "--db", ":memory:", "-c", ".import deals.csv", "-c", "close lost where stage != won and last_interaction > 90d",
      "-c", "count where stage = lost", "-c", "undo", "-c", "count where stage = lost", "-c", ".checkpoint",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        action,changed,unchanged,dry_run\r
        import,4,0,false\r
        action,changed,unchanged,dry_run\r
        close lost,1,1,false\r
        count\r
        2\r
        action,changed,unchanged,dry_run\r
        undo,1,0,false\r
        count\r
        1\r
        the store is in memory: there is no file to write

        """)
    let left = try FileManager.default.contentsOfDirectory(atPath: pipeq.folder.path).sorted()
    #expect(left == ["deals.csv"])
  }

  @Test func theMissionStatement() {
    let pipeq = fixtureStore()
    let preview = pipeq.run([
      "--format", "table", "--dry-run", "-c", "close lost where stage != won and last_interaction > 90d",
    ])
    #expect(preview.status == 0)
    #expect(
      preview.stdout == """
        would close 1 deal as lost; 1 is already lost
        id  name  account      stage              value
        --  ----  -----------  ----------------  ------
         2  Beta  Müller GmbH  qualified → lost  50,000
        (1 deal)
        (dry run: nothing was changed)

        """)
    #expect(pipeq.run(["-c", "count where stage = lost"]).stdout == "count\r\n1\r\n")
    let real = pipeq.run(["--format", "table", "-c", "close lost where stage != won and last_interaction > 90d"])
    #expect(real.stdout == "closed 1 deal as lost; 1 was already lost\n")
    #expect(pipeq.run(["-c", "list id where stage = lost"]).stdout == "id\r\n2\r\n4\r\n")
  }

  @Test func tableAndJSONFormats() {
    let pipeq = fixtureStore()
    let table = pipeq.run(["--format", "table", "-c", "list id, name, value where value >= 7k order by value desc"])
    #expect(
      table.stdout == """
        id  name    value
        --  -----  ------
         2  Beta   50,000
         3  Gamma  20,000
         4  Delta   7,000
        (3 deals)

        """)
    let json = pipeq.run(["--format", "json", "-c", "list id, source, tags, created where id <= 2"])
    #expect(
      json.stdout == """
        [
          {"id": 1, "source": "referral", "tags": ["priority"], "created": "2026-01-10"},
          {"id": 2, "source": "website", "tags": null, "created": "2025-12-01"}
        ]

        """)
    #expect(
      pipeq.run(["--format", "json", "-c", "count by owner"]).stdout == """
        [
          {"owner": "alice", "count": 1},
          {"owner": "bob", "count": 1},
          {"owner": "carol", "count": 2}
        ]

        """)
  }

  @Test func theFirstErrorStopsTheRunWithACaret() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", "count", "-c", "list where stage = wonn", "-c", "delete where id > 0"])
    #expect(result.status == 1)
    // The run is checked whole first: nothing ran, not even the count before the typo.
    #expect(result.stdout == "")
    #expect(
      result.stderr == """
        error: unknown stage 'wonn'
         --> <command>:1:20
        1 | list where stage = wonn
          |                    ^~~~
          = help: did you mean 'won'?

        """)
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
  }

  @Test func aScriptWithASyntaxErrorChangesNothing() {
    let pipeq = fixtureStore()
    pipeq.write("weekly.pq", "# weekly\ndelete where id = 1\n\nlist where (owner = bob\n")
    let result = pipeq.run(["weekly.pq"])
    #expect(result.status == 1)
    #expect(result.stderr.contains(" --> weekly.pq:4:12\n4 | list where (owner = bob\n  |            ^\n"))
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
  }

  @Test func scriptsRunStatementsAcrossLines() {
    let pipeq = fixtureStore()
    pipeq.write(
      "review.pq",
      """
      # Monday review
      list id, owner
        where status = open and
              value > 500
        order by id
      count by owner; count
      """)
    let result = pipeq.run(["review.pq"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == "id,owner\r\n1,alice\r\n2,bob\r\nowner,count\r\nalice,1\r\nbob,1\r\ncarol,2\r\ncount\r\n4\r\n")
  }

  @Test func statementsFromStandardInput() {
    let pipeq = fixtureStore()
    let result = pipeq.run([], stdin: "count where owner = carol\nlist id where stage = lead\n")
    #expect(result.status == 0)
    #expect(result.stdout == "count\r\n2\r\nid\r\n1\r\n")
  }

  @Test func pipedInputHasNoPromptAndWritesNoHistory() {
    let pipeq = fixtureStore()
    let process = Process()
    process.executableURL = PipeqProcess.binary("pipeq")
    process.arguments = ["--db", pipeq.path("store.pipeq"), "--now", "2026-06-15"]
    process.environment = ["XDG_STATE_HOME": pipeq.path("state"), "HOME": pipeq.path("home")]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try! process.run()
    input.fileHandleForWriting.write("count\n".data(using: .utf8)!)
    try! input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text == "count\r\n4\r\n")
    #expect(!FileManager.default.fileExists(atPath: pipeq.path("state/pipeq/history")))
    #expect(!FileManager.default.fileExists(atPath: pipeq.path("home/.local/state/pipeq/history")))
  }

  @Test func nowSetsWhatTodayMeans() {
    let pipeq = fixtureStore()
    #expect(pipeq.run(["--now", "2026-06-15", "-c", "count where last_interaction > 90d"]).stdout == "count\r\n2\r\n")
    #expect(pipeq.run(["--now", "2026-08-01", "-c", "count where last_interaction > 90d"]).stdout == "count\r\n3\r\n")
    #expect(
      pipeq.run(["-c", ".now 2026-08-01", "-c", "count where idle > 90d", "-c", ".now"]).stdout
        == "count\r\n3\r\n2026-08-01\n")
    let bad = pipeq.run(["--now", "2026-02-30", "-c", "count"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("--now '2026-02-30' is not a date"))
  }

  @Test func warningsGoToStandardErrorAndTheStatementRuns() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", "count where owner = alcie"])
    #expect(result.status == 0)
    #expect(result.stdout == "count\r\n0\r\n")
    #expect(
      result.stderr.hasPrefix("warning: no deal has owner 'alcie' (did you mean 'alice'?)\n --> <command>:1:21\n"))
  }

  @Test func timerPrintsTheWallTime() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", ".timer on", "-c", "count"])
    #expect(result.stdout == "count\r\n4\r\n")
    #expect(result.stderr.wholeMatch(of: /time: \d+\.\d\d ms\ntime: \d+\.\d\d ms\n/) != nil, "\(result.stderr)")
  }

  @Test func modeSwitchesFormatMidRun() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", ".mode json", "-c", "count", "-c", ".mode csv", "-c", "count"])
    #expect(result.stdout == "[\n  {\"count\": 4}\n]\ncount\r\n4\r\n")
  }

  @Test func quitStopsQuietly() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", "count", "-c", ".quit", "-c", "count"])
    #expect(result.status == 0)
    #expect(result.stdout == "count\r\n4\r\n")
  }

  @Test func helpListsStatementsAndTopics() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", ".help"])
    #expect(result.stdout.contains("close won|lost [reason TEXT] where FILTER"))
    #expect(pipeq.run(["-c", ".help dates"]).stdout.contains("last_interaction > 90d"))
    let stages = pipeq.run(["-c", ".help stages"]).stdout
    #expect(stages.contains("add stage fridge after lost in sales") && stages.contains("set stage fridge kind parked"))
    #expect(result.stdout.contains("pipelines   create|rename|remove pipeline"))
    #expect(pipeq.run(["-c", ".help filtres"]).stdout.contains("did you mean 'filters'?"))
    let unknown = pipeq.run(["-c", ".hlep"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("did you mean '.help'?"))
  }

  @Test func versionIsPrinted() {
    let result = PipeqProcess().run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == Version.current)
  }

  @Test func storeIsCreatedByTheFirstChange() {
    let pipeq = PipeqProcess()
    // A read finds no store, says so, and leaves none behind.
    let read = pipeq.run(["--db", pipeq.path("new.pipeq"), "-c", "count"])
    #expect(read.status == 0)
    #expect(read.stdout == "count\r\n0\r\n")
    #expect(read.stderr.contains("there is no store at"))
    #expect(!FileManager.default.fileExists(atPath: pipeq.path("new.pipeq")))
    let piped = pipeq.run(["--db", pipeq.path("new.pipeq")], stdin: "count\nlist where stage = won\n")
    #expect(piped.status == 0)
    #expect(!FileManager.default.fileExists(atPath: pipeq.path("new.pipeq")))
    // The first change creates it.
    let change = pipeq.run(["--db", pipeq.path("new.pipeq"), "-c", "count", "-c", "add deal Pilot"])
    #expect(change.status == 0)
    #expect(FileManager.default.fileExists(atPath: pipeq.path("new.pipeq")))
    #expect(pipeq.run(["--db", pipeq.path("new.pipeq"), "-c", "count"]).stdout == "count\r\n1\r\n")
  }

  @Test func defaultStoreIsInTheCurrentFolder() {
    let pipeq = PipeqProcess()
    let result = pipeq.run(["--now", "2026-06-15", "-c", "add deal Pilot"], defaults: false)
    #expect(result.status == 0)
    #expect(FileManager.default.fileExists(atPath: pipeq.path("pipeline.pipeq")))
  }

  @Test func damagedStoreIsRefusedUntouched() throws {
    let pipeq = fixtureStore()
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pipeq.path("store.pipeq")))
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: pipeq.path("store.pipeq")))
    let result = pipeq.run(["-c", "delete where id > 0"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("store.pipeq is damaged at byte"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: pipeq.path("store.pipeq"))) == bytes)
  }

  @Test func importErrorSaysWhereAndImportsNothing() {
    let pipeq = fixtureStore()
    pipeq.write("bad.csv", "name,stage,value\nok,lead,5\nbad,lead,five\n")
    let result = pipeq.run(["-c", ".import bad.csv"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: 'five' is not an amount (column value)\n --> bad.csv:3, column 3\n"))
    #expect(pipeq.run(["-c", "count"]).stdout == "count\r\n4\r\n")
  }

  @Test func importReportsNewPipelinesAndIgnoredColumns() {
    let pipeq = fixtureStore()
    pipeq.write("more.csv", "Title,Pipeline,Deal Stage,Notes\nNew,renewals,notice,x\n")
    let result = pipeq.run(["--format", "table", "-c", ".import more.csv"])
    #expect(result.stdout == "imported 1 deal from more.csv\n")
    #expect(result.stderr == "note: new pipeline 'renewals': notice, won, lost\nnote: ignored unknown column: Notes\n")
  }

  @Test func exportWithAFilter() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["--format", "table", "-c", ".export won.csv where status = won"])
    #expect(result.stdout == "exported 1 deal to won.csv\n")
    #expect(
      pipeq.read("won.csv")
        == "id,name,account,contact,owner,pipeline,stage,value,currency,source,lost_reason,tags,created,stage_entered,expected_close,closed,last_interaction,external_id\r\n3,Gamma,Globex,,carol,sales,won,20000,USD,,,,2025-10-01,,,,2026-05-01,\r\n"
    )
  }

  @Test func usageErrorsExitNonZero() {
    let pipeq = PipeqProcess()
    let result = pipeq.run(["--format", "xml", "-c", "count"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("xml"))
  }

  @Test func scriptParametersAndAnErrorWithFileLineColumn() {
    let pipeq = fixtureStore()
    pipeq.write("won.pq", "# won since a date\ncount where status = won and closed >= $since\n")
    #expect(pipeq.run(["--set", "since=2026-01-01", "won.pq"]).stdout == "count\r\n0\r\n")
    let bad = pipeq.run(["--set", "since=soon", "won.pq"])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains(" --> won.pq:2:40\n2 | count where status = won and closed >= $since\n"))
    #expect(bad.stderr.contains("^~~~~~"))
  }

  @Test func keepGoingRunsTheRestAndFailsAtTheEnd() {
    let pipeq = fixtureStore()
    pipeq.write(
      "mixed.pq",
      "count\ncount where stage = wonn\ntag seen where id = 1\nlist where bogus = 1\ncount where tag = seen\n")
    let stopped = pipeq.run(["mixed.pq"])
    #expect(stopped.status == 1)
    #expect(stopped.stdout == "")
    let result = pipeq.run(["--keep-going", "mixed.pq"])
    #expect(result.status == 1)
    #expect(result.stdout.hasSuffix("count\r\n1\r\n"))
    #expect(result.stderr.hasSuffix("2 statements failed: mixed.pq:2:1, mixed.pq:4:1\n"))
  }

  @Test func atomicKeepsAllOrNothing() {
    let pipeq = fixtureStore()
    pipeq.write("fails.pq", "tag one where id = 1\nclose won where id = 2\nmove to nowhere where id = 3\n")
    let failed = pipeq.run(["--atomic", "--keep-going", "fails.pq"])
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("--atomic: a statement failed, so none of the changes were kept"))
    #expect(pipeq.run(["-c", "count where tag = one or stage = won"]).stdout == "count\r\n1\r\n")
    pipeq.write("works.pq", "tag one where id = 1\nclose won where id = 2\n")
    #expect(pipeq.run(["--atomic", "works.pq"]).status == 0)
    #expect(pipeq.run(["-c", "count where tag = one or stage = won"]).stdout == "count\r\n3\r\n")
    let history = pipeq.run(["-c", "history"]).stdout
    #expect(history.contains("atomic run of works.pq"))
    #expect(pipeq.run(["-c", "undo"]).status == 0)
    #expect(pipeq.run(["-c", "count where tag = one or stage = won"]).stdout == "count\r\n1\r\n")
  }

  @Test func outputGoesToAFileAndBack() {
    let pipeq = fixtureStore()
    let result = pipeq.run(["-c", ".output report.csv", "-c", "count by owner", "-c", ".output", "-c", "count"])
    #expect(result.stdout == "count\r\n4\r\n")
    #expect(pipeq.read("report.csv") == "owner,count\r\nalice,1\r\nbob,1\r\ncarol,2\r\n")
  }

  @Test func savedQueriesExportAndReadBack() {
    let pipeq = fixtureStore()
    #expect(
      pipeq.run(["-c", "define stale as idle > 90d", "-c", "define mine as list id where owner = $1"]).status == 0)
    #expect(pipeq.run(["-c", ".export-defs defs.pq"]).stdout == "wrote 2 saved queries to defs.pq\n")
    #expect(
      pipeq.read("defs.pq")
        == "# pipeq saved queries\ndefine mine as list id where owner = $1\ndefine stale as idle > 90d\n")
    let other = pipeq.path("other.pipeq")
    pipeq.write("deals.csv", Self.fixture)
    let read = pipeq.run([
      "--db", other, "-c", ".import deals.csv", "-c", ".read defs.pq", "-c", "mine carol", "-c", "count where stale",
    ])
    #expect(read.status == 0, "\(read.stderr)")
    #expect(read.stdout.hasSuffix("id\r\n3\r\n4\r\ncount\r\n2\r\n"))
  }

  @Test func aShebangScriptRuns() throws {
    let pipeq = fixtureStore()
    pipeq.write("weekly.pq", "#!/usr/bin/env pipeq\ncount where owner = carol\n")
    chmod(pipeq.path("weekly.pq"), 0o755)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: pipeq.path("weekly.pq"))
    process.arguments = ["--db", pipeq.path("store.pipeq")]
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] =
      PipeqProcess.binary("pipeq").deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(text == "count\r\n2\r\n")
  }
}

extension CommandLineTests {
  /// `--format line` / `.mode line`: any list as records; `show` is one deal whole.
  @Test func lineModeShowsEachRowAsARecord() {
    let pipeq = fixtureStore()
    let listed = pipeq.run(["--format", "line", "-c", "list id, name, owner where id <= 2"])
    #expect(listed.status == 0)
    #expect(listed.stdout.contains("  id     1\n  name   Alpha\n  owner  alice\n\n  id     2\n"))
    let moded = pipeq.run(["-c", ".mode line", "-c", "list name where id = 3"])
    #expect(moded.stdout.contains("  name  Gamma"))
    let shown = pipeq.run(["--format", "table", "-c", "show 2"])
    #expect(shown.stdout.hasPrefix("deal 2\n  name              Beta\n  account           Müller GmbH\n"))
    let added = pipeq.run(["-c", "add deal Epsilon stage lead owner dave"])
    #expect(added.stdout == "action,changed,unchanged,dry_run,id\r\nadd,1,0,false,5\r\n")
  }
}
