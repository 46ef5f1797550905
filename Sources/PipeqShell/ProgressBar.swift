import Foundation
import PipeqCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A one-line bar on standard error for work that takes more than a second (an import,
/// an export, a checkpoint): the step, how far it is and the rows a second, redrawn in
/// place and erased when the statement ends. The shell has one only when standard
/// error is a terminal.
public final class ProgressBar: @unchecked Sendable {
  private let width: @Sendable () -> Int
  private let write: @Sendable (String) -> Void
  private let lock = NSLock()
  private var drawn = false
  /// Quick work shows nothing: the bar appears after this many seconds.
  static let delay = 1.0

  public init(
    width: @escaping @Sendable () -> Int, write: @escaping @Sendable (String) -> Void = ProgressBar.toStandardError
  ) {
    self.width = width
    self.write = write
  }

  /// The progress of one task, drawn here.
  public func start(_ task: String) -> WorkProgress {
    WorkProgress(task: task) { [weak self] status in self?.draw(status) }
  }

  /// Erases the bar, if one was drawn.
  public func clear() {
    lock.withLock {
      guard drawn else { return }
      write("\r\u{1B}[K")
      drawn = false
    }
  }

  private func draw(_ status: WorkProgress.Status) {
    guard status.elapsed >= ProgressBar.delay else { return }
    let line = ProgressBar.line(status, width: width())
    lock.withLock {
      write("\r" + line + "\u{1B}[K")
      drawn = true
    }
  }

  /// `importing deals.csv  parsing  [████████······]  57%  412,000 rows  96k rows/s`,
  /// cut to the width.
  static func line(_ status: WorkProgress.Status, width: Int) -> String {
    let cells = 20
    let filled = status.percent * cells / 100
    let bar = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + "]"
    var parts = [status.task, status.step, bar, "\(status.percent)%"]
    if status.rows > 0 {
      parts.append("\(Format.count(status.rows)) rows")
      if status.stepElapsed > 0 {
        parts.append("\(Format.compact(Double(status.rows) / status.stepElapsed)) rows/s")
      }
    }
    return parts.joined(separator: "  ").fitted(to: max(10, width - 1))
  }

  public static let toStandardError: @Sendable (String) -> Void = { text in
    var bytes = Array(text.utf8)
    _ = Glibc.write(2, &bytes, bytes.count)
  }
}
