import Foundation
import Testing

/// Drives the real binary in a terminal: tmux gives it a pseudo-terminal, `send-keys`
/// types, `capture-pane` reads the screen. Every wait has a deadline.
final class TmuxSession {
  let socket = "pipeq-test-\(UUID().uuidString.prefix(8))"
  let pipeq: PipeqProcess

  /// `environment` is put before the command as it is; by default no pager (`PAGER=` empty),
  /// so a tall result is never left waiting in one.
  init(
    _ pipeq: PipeqProcess, arguments: [String] = [], width: Int = 120, height: Int = 40,
    environment: String = "PAGER=''",
    stderr: String? = nil, skipPrompt: Bool = false
  ) throws {
    self.pipeq = pipeq
    let binary = PipeqProcess.binary("pipeq").path
    let args = (["--db", pipeq.path("store.pipeq"), "--now", "2026-06-15"] + arguments).map(TmuxSession.quote)
      .joined(separator: " ")
    // The exit status is printed after pipeq ends so tests can read it from the screen.
    let command =
      "XDG_STATE_HOME='\(pipeq.path("state"))' NO_COLOR=1 \(environment) '\(binary)' \(args)"
      + (stderr.map { " 2>'\($0)'" } ?? "") + "; echo \"exit status $?\"; sleep 30"
    try tmux(["new-session", "-d", "-x", String(width), "-y", String(height), command])
    // capture-pane trims trailing spaces, so the prompt reads "pipeq>".
    if !skipPrompt { try waitFor("pipeq>") }
  }

  deinit { _ = try? tmux(["kill-server"]) }

  /// Runs a tmux command through the C library (system / popen), not Foundation's
  /// Process: the tmux server a new session starts would inherit Process's internal
  /// descriptors and keep it waiting for good.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let command = (["tmux", "-L", socket] + arguments).map(TmuxSession.quote).joined(separator: " ")
    guard arguments.first == "capture-pane" else {
      _ = system(command + " </dev/null >/dev/null 2>&1")
      return ""
    }
    guard let pipe = popen(command + " 2>/dev/null", "r") else { return "" }
    defer { pclose(pipe) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, pipe)
      if count <= 0 { break }
      output.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: output, as: UTF8.self)
  }

  static func quote(_ argument: String) -> String {
    "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Types text literally (no key names), then pauses briefly so the line editor keeps up.
  func type(_ text: String) throws {
    try tmux(["send-keys", "-l", text])
    usleep(100_000)
  }

  /// Types a statement and presses Enter.
  func enter(_ statement: String) throws {
    try type(statement)
    try press("Enter")
  }

  /// Presses keys by name: Enter, Tab, Up, Left, C-c, C-d.
  func press(_ keys: String...) throws {
    for key in keys {
      try tmux(["send-keys", key])
      usleep(150_000)
    }
  }

  /// Makes the terminal this size, as a person dragging the window does (pipeq gets SIGWINCH).
  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-x", String(width), "-y", String(height)])
    usleep(200_000)
  }

  /// Only what is on the screen now, without the lines scrolled off it.
  var visible: String { (try? tmux(["capture-pane", "-p"])) ?? "" }

  var screen: String { (try? tmux(["capture-pane", "-p", "-S", "-200"])) ?? "" }

  /// Waits until the screen shows `text` (at most `seconds`), and returns the screen.
  /// Lines on screen lose their trailing spaces, so `text` should not end in one.
  @discardableResult
  func waitFor(_ text: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let now = screen
      if now.contains(text) { return now }
      usleep(50_000)
    }
    let last = screen
    Issue.record("timed out waiting for \(text.debugDescription); the screen:\n\(last)", sourceLocation: sourceLocation)
    throw CancellationError()
  }

}
