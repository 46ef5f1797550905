import Foundation
import PipeqCore
import Testing

/// Long and wide results on a real terminal, at 80 and 160 columns: the pager, the row
/// cap, a resize, `.mode line`, and the bar of a long import.
@Suite(.serialized) struct TerminalOutputTests {
  /// A store of 200 generated deals.
  func store() -> PipeqProcess {
    let pipeq = PipeqProcess()
    #expect(
      pipeq.run(["--deals", "200", "--today", "2026-06-15", "-o", pipeq.path("deals.csv")], tool: "pipeq-gen").status
        == 0)
    #expect(pipeq.run(["-c", ".import deals.csv"]).status == 0)
    return pipeq
  }

  static func lines(_ screen: String) -> [String] { screen.split(separator: "\n").map(String.init) }

  @Test(arguments: [80, 160])
  func aResultTallerThanTheScreenGoesThroughThePager(width: Int) throws {
    let session = try TmuxSession(store(), width: width, height: 24, environment: "PAGER='less -FRX'")
    #expect(session.screen.contains("pipeq \(Version.current): 200 deals in "))
    try session.enter("list id, name")
    // less waits at its prompt with the first screenful; the session's prompt is not back.
    try session.waitFor("\n:")
    let paged = session.visible
    #expect(paged.contains("id  name"))
    #expect(!paged.contains("(200 deals)"))
    #expect(Self.lines(paged).last == ":")
    try session.press("q")
    try session.waitFor("pipeq>\n", seconds: 5)
    // A short result is written as it is, without the pager.
    try session.enter("count")
    try session.waitFor("  200\n")
    #expect(!session.visible.contains("\n:"))
  }

  @Test(arguments: [80, 160])
  func withThePagerOffATableShowsFortyRowsAndHowToSeeThemAll(width: Int) throws {
    let session = try TmuxSession(store(), width: width, height: 60, environment: "PAGER='less -FRX'")
    try session.enter(".pager off")
    try session.enter("list id, name")
    let screen = try session.waitFor("(40 of 200 deals; .rows all shows every row)")
    #expect(screen.contains("\n40  "))
    #expect(!screen.contains("\n41  "))
    try session.enter(".rows all")
    try session.enter("list id, name where id > 150")
    try session.waitFor("(50 deals)")
  }

  @Test func aResizedTerminalGetsTablesOfItsNewWidth() throws {
    let session = try TmuxSession(store(), width: 160, height: 50)
    try session.enter("stale limit 3")
    let wide = try session.waitFor("rotting deals)")
    #expect(wide.contains("limit_days"))
    #expect(!wide.contains("left out"))
    try session.press("C-l")
    try session.resize(width: 60, height: 50)
    try session.enter("stale limit 3")
    let narrow = try session.waitFor("left out to fit 60 columns")
    #expect(Self.lines(narrow).allSatisfy { $0.count <= 60 })
  }

  @Test(arguments: [80, 160])
  func lineModeShowsEveryFieldOfARowOnItsOwnLine(width: Int) throws {
    let session = try TmuxSession(store(), width: width, height: 50)
    try session.enter(".mode line")
    try session.enter("list id, name, owner, stage, value where id = 7")
    let screen = try session.waitFor("(1 deal)")
    #expect(screen.contains("\n  id     7\n  name   "))
    #expect(screen.contains("\n  owner  "))
    #expect(Self.lines(screen).allSatisfy { $0.count <= width })
  }

  /// A long import draws its bar on the terminal and erases it; with standard error in a
  /// file there is none.
  @Test func aLongImportShowsABarOnlyOnATerminal() throws {
    let pipeq = PipeqProcess()
    // Tabs and day-first dates: the slower, rewriting path, well over a second.
    #expect(
      pipeq.run(["--deals", "100000", "--today", "2026-06-15", "-o", pipeq.path("plain.csv")], tool: "pipeq-gen").status
        == 0)
    let plain = try String(contentsOfFile: pipeq.path("plain.csv"), encoding: .utf8)
    let european = plain.replacingOccurrences(of: ",", with: "\t").replacing(
      /(\d{4})-(\d{2})-(\d{2})/, with: { "\($0.3).\($0.2).\($0.1)" })
    pipeq.write("export.csv", european)
    let session = try TmuxSession(pipeq, arguments: ["--yes"], width: 120, height: 30)
    try session.enter(".import \(pipeq.path("export.csv"))")
    let during = try session.waitFor("importing ", seconds: 60)
    #expect(during.contains("export.csv  ") && during.contains("%"))
    let after = try session.waitFor("imported 100,000 deals", seconds: 120)
    #expect(!after.contains("importing "))
    #expect(!after.contains("%"))
    // The same import with standard error going to a file: no bar in it.
    let quiet = PipeqProcess()
    quiet.write("export.csv", european)
    let redirected = try TmuxSession(
      quiet, arguments: ["--yes", "-c", ".import \(quiet.path("export.csv"))"], stderr: quiet.path("errors.txt"),
      skipPrompt: true)
    try redirected.waitFor("exit status 0", seconds: 120)
    let errors = try String(contentsOfFile: quiet.path("errors.txt"), encoding: .utf8)
    #expect(!errors.contains("importing ") && !errors.contains("\r"))
    #expect(errors.contains("note: "))
  }
}
