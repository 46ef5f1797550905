import CLibedit
import Foundation
import PipeqCore

#if canImport(Glibc)
  import Glibc
#endif

/// Reads lines for the REPL. The interactive one is libedit; tests and pipes use others.
public protocol LineReader: AnyObject {
  /// The next line, `.interrupted` on Ctrl-C, nil at end of input (Ctrl-D).
  func readLine(prompt: String) -> LineReaderResult
  /// Records a complete statement (maybe several lines) as one history entry.
  func remember(_ entry: String)
}

public enum LineReaderResult: Equatable {
  case line(String)
  case interrupted
  case end
}

/// libedit: emacs keys by default, the user's ~/.editrc, history saved after every
/// entry, Tab completion from a `Completer`.
public final class LibeditLineReader: LineReader {
  private let editor: OpaquePointer
  private let history: OpaquePointer
  private let historyPath: String?

  /// The completer the Tab key asks; set before each line so it sees the store as it is.
  nonisolated(unsafe) static var completer: Completer?

  public init?(historyPath: String?, historySize: Int = 2000) {
    pq_set_utf8_locale()
    guard let history = pq_history_init(Int32(historySize)) else { return nil }
    guard let editor = pq_el_init("pipeq", history, { editor, _ in LibeditLineReader.complete(editor) }) else {
      history_end(history)
      return nil
    }
    self.editor = editor
    self.history = history
    self.historyPath = historyPath
    if let historyPath { _ = pq_history_load(history, historyPath) }
    pq_install_interrupt_handler()
  }

  deinit {
    el_end(editor)
    history_end(history)
  }

  public func readLine(prompt: String) -> LineReaderResult {
    pq_set_prompt_text(prompt)
    _ = pq_take_interrupt()
    var count: Int32 = 0
    errno = 0
    guard let line = el_gets(editor, &count) else {
      if pq_take_interrupt() != 0 || (count == -1 && errno == EINTR) {
        // The half-typed line is dropped; libedit keeps no buffer after EINTR.
        pq_write_out("\n")
        return .interrupted
      }
      pq_write_out("\n")
      return .end
    }
    var text = String(cString: line)
    if text.hasSuffix("\n") { text.removeLast() }
    return .line(text)
  }

  public func remember(_ entry: String) {
    guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    _ = pq_history_enter(history, entry)
    // Saved after every entry: a crash or a kill loses nothing.
    if let historyPath {
      _ = pq_history_save(history, historyPath)
      chmod(historyPath, 0o600)
    }
  }

  /// Tab: one match is completed in place; several are listed under the line.
  private static func complete(_ editor: OpaquePointer?) -> UInt8 {
    guard let editor, let completer else { return UInt8(CC_ERROR) }
    let cursor = Int(pq_el_cursor(editor))
    let bytes = UnsafeRawBufferPointer(start: pq_el_buffer(editor), count: cursor)
    let before = String(decoding: bytes, as: UTF8.self)
    let completion = completer.complete(before)
    let candidates = completion.candidates
    guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
    let partialCount = Int32(completion.partial.utf8.count)
    if candidates.count == 1 {
      let choice = candidates[0]
      el_deletestr(editor, partialCount)
      _ = el_insertstr(editor, choice + (choice.hasSuffix("/") ? "" : " "))
      return UInt8(CC_REFRESH)
    }
    let common = commonPrefix(candidates)
    if common.count > completion.partial.count {
      el_deletestr(editor, partialCount)
      _ = el_insertstr(editor, common)
      return UInt8(CC_REFRESH)
    }
    pq_write_out("\n" + columns(candidates) + "\n")
    return UInt8(CC_REDISPLAY)
  }

  static func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first else { return "" }
    for word in words.dropFirst() {
      while !word.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
    }
    return prefix
  }

  static func columns(_ words: [String]) -> String {
    let width = (words.map(\.count).max() ?? 0) + 2
    let perLine = max(1, Terminal.width() / width)
    var lines: [String] = []
    var index = 0
    while index < words.count {
      let row = words[index..<min(index + perLine, words.count)]
      lines.append(row.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
      index += perLine
    }
    return lines.map { $0.replacing(/\s+$/, with: "") }.joined(separator: "\n")
  }
}
