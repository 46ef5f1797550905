import PipeqCore
import Testing

@testable import PipeqShell

/// `.help` names every statement and every command there is, and fits 80 columns.
@Suite struct HelpTests {
  @Test func helpNamesEveryStatementAndCommand() {
    let text = Help.text(topic: nil)
    for word in Keywords.statements { #expect(text.contains(word), "\(word)") }
    for command in Keywords.metaCommands { #expect(text.contains("." + command), ".\(command)") }
    for topic in Help.topics.keys { #expect(text.contains(topic), "\(topic)") }
  }

  @Test func helpFitsAnEightyColumnTerminal() {
    for topic in [nil] + Help.topics.keys.map(Optional.some) {
      for line in Help.text(topic: topic).split(separator: "\n") {
        #expect(String(line).displayWidth <= 80, "\(topic ?? "help"): \(line)")
      }
    }
  }
}
