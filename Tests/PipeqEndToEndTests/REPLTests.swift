import Foundation
import Testing

/// The interactive session under a real pseudo-terminal.
@Suite(.serialized) struct REPLTests {
  func store() -> PipeqProcess {
    let pipeq = PipeqProcess()
    pipeq.write("deals.csv", CommandLineTests.fixture)
    #expect(pipeq.run(["-c", ".import deals.csv"]).status == 0)
    return pipeq
  }

  @Test func typingAndEditingAStatement() throws {
    let session = try TmuxSession(store())
    try session.type("cunt where owner = carol")
    // Back to just after the "c" and insert the missing "o".
    try session.press("C-a", "Right")
    try session.type("o")
    try session.press("Enter")
    let screen = try session.waitFor("count\n-----\n    2")
    #expect(screen.contains("pipeq> count where owner = carol"))
  }

  @Test func upRecallsTheLastStatementOfAnEarlierSession() throws {
    let pipeq = store()
    do {
      let first = try TmuxSession(pipeq)
      try first.type("count where stage = lead")
      try first.press("Enter")
      try first.waitFor("    1")
      try first.press("C-d")
      try first.waitFor("exit status 0")
    }
    let second = try TmuxSession(pipeq)
    try second.press("Up")
    try second.waitFor("pipeq> count where stage = lead")
    let history = pipeq.read("state/pipeq/history")
    #expect(history.contains("count\\040where\\040stage\\040=\\040lead"))
    let mode =
      try FileManager.default.attributesOfItem(atPath: pipeq.path("state/pipeq/history"))[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test func aMultiLineStatementIsOneHistoryEntry() throws {
    let pipeq = store()
    do {
      let session = try TmuxSession(pipeq)
      try session.type("count where owner = carol and")
      try session.press("Enter")
      try session.waitFor("  ...>")
      try session.type("stage = lost")
      try session.press("Enter")
      try session.waitFor("    1")
      try session.press("C-d")
      try session.waitFor("exit status 0")
    }
    let history = pipeq.read("state/pipeq/history")
    #expect(history.split(separator: "\n").count == 2, "\(history)")
    #expect(history.contains("carol\\040and"))
  }

  @Test func tabCompletesAFieldAndAStage() throws {
    let session = try TmuxSession(store())
    try session.type("count where pipel")
    try session.press("Tab")
    try session.waitFor("pipeq> count where pipeline")
    try session.press("C-u")
    try session.type("count where stage = qual")
    try session.press("Tab")
    try session.waitFor("pipeq> count where stage = qualified")
    try session.press("Enter")
    try session.waitFor("    1")
    try session.press("C-u")
    try session.type("count where owner = ")
    try session.press("Tab")
    // Several matches are listed under the line.
    let screen = try session.waitFor("alice")
    #expect(screen.contains("bob"))
    #expect(screen.contains("carol"))
  }

  @Test func ctrlCCancelsAHalfTypedLineAndKeepsTheSession() throws {
    let session = try TmuxSession(store())
    try session.type("delete where id > 0")
    try session.press("C-c")
    try session.type("count")
    try session.press("Enter")
    let screen = try session.waitFor("count\n-----\n    4")
    #expect(!screen.contains("deleted"))
  }

  @Test func ctrlDLeavesWithStatusZero() throws {
    let session = try TmuxSession(store())
    try session.press("C-d")
    try session.waitFor("exit status 0")
  }

  @Test func confirmationRefusesOnEnterAndAppliesOnY() throws {
    let pipeq = store()
    let session = try TmuxSession(pipeq)
    try session.type("close lost where owner = carol or owner = alice")
    try session.press("Enter")
    var screen = try session.waitFor("Proceed? [y/N]")
    #expect(screen.contains("would close 2 deals as lost; 1 is already lost"))
    #expect(screen.contains("lead → lost"))
    try session.press("Enter")
    try session.waitFor("nothing was changed")
    try session.type("close lost where owner = carol or owner = alice")
    try session.press("Enter")
    try session.waitFor("nothing was changed\npipeq> close lost where owner = carol or owner = alice\nwould close")
    try session.type("y")
    try session.press("Enter")
    screen = try session.waitFor("closed 2 deals as lost; 1 was already lost")
    // One deal is changed without asking.
    try session.type("close won where id = 2")
    try session.press("Enter")
    screen = try session.waitFor("closed 1 deal as won")
    #expect(!screen.hasSuffix("Proceed? [y/N]"))
  }

  @Test func yesSkipsTheQuestion() throws {
    let session = try TmuxSession(store(), arguments: ["--yes"])
    try session.type("tag x where id > 0")
    try session.press("Enter")
    let screen = try session.waitFor("tagged 4 deals x")
    #expect(!screen.contains("Proceed?"))
  }

  @Test func aUTF8ValueRoundTripsThroughEditing() throws {
    let session = try TmuxSession(store())
    try session.type("set owner = 'Jzef' where id = 1")
    // Move back into the name and insert a non-ASCII letter.
    for _ in 0..<17 { try session.press("Left") }
    try session.type("ó")
    try session.press("Enter")
    try session.waitFor("updated 1 deal")
    try session.type("list id, owner where owner = 'józef'")
    try session.press("Enter")
    try session.waitFor(" 1  Józef")
  }

  @Test func errorsPointAtTheTokenUnderThePrompt() throws {
    let session = try TmuxSession(store())
    try session.type("list where stage = wonn")
    try session.press("Enter")
    try session.waitFor(
      """
      pipeq> list where stage = wonn
                                ^~~~
      error: unknown stage 'wonn'
      """)
  }

  @Test func redefiningAsksFirst() throws {
    let session = try TmuxSession(store())
    try session.type("define hot as value > 10k")
    try session.press("Enter")
    try session.waitFor("defined hot")
    try session.type("define hot as value > 40k")
    try session.press("Enter")
    try session.waitFor("Proceed? [y/N]")
    try session.press("Enter")
    try session.waitFor("nothing was changed")
    try session.type("defs")
    try session.press("Enter")
    try session.waitFor("hot   filter  value > 10k")
  }
}

extension REPLTests {
  /// `show` at 60 columns: every field on its own line, a long name wrapped, none cut.
  @Test func showFitsANarrowTerminal() throws {
    let pipeq = store()
    let long = "Enterprise platform renewal with three regional rollouts"
    #expect(pipeq.run(["-c", "set name = '\(long)' where id = 2"]).status == 0)
    let session = try TmuxSession(pipeq, width: 60, height: 50)
    try session.type("show 2")
    try session.press("Enter")
    let screen = try session.waitFor("latest changes")
    let lines = screen.split(separator: "\n").map(String.init)
    #expect(lines.allSatisfy { $0.count <= 60 })
    #expect(
      screen.contains(
        "  name              Enterprise platform renewal with three\n                    regional rollouts"))
    #expect(screen.contains("  stage             qualified"))
    #expect(!screen.contains("…"))
  }
}
