import Dispatch
import Foundation

/// How far a long piece of work is (an import, an export, a checkpoint), told to
/// whoever shows it: the shell draws a bar on a terminal. Work on several cores
/// advances it at once; it reports at most ten times a second, and at a step's end.
public final class WorkProgress: @unchecked Sendable {
  public struct Status: Sendable {
    /// `importing deals.csv`.
    public var task: String
    /// The step under way: `reading`, `converting`, `parsing`, `writing`.
    public var step: String
    public var done: Int
    public var total: Int
    /// Rows (deals, records) through the step so far, for a rate.
    public var rows: Int
    /// Seconds since the work began, and since this step began.
    public var elapsed: Double
    public var stepElapsed: Double
    public var fraction: Double { total <= 0 ? 0 : min(1, Double(done) / Double(total)) }
    /// Whole percent done, rounded down (99.99% is not yet 100).
    public var percent: Int { total <= 0 ? 0 : min(100, done * 100 / total) }

    public init(
      task: String, step: String, done: Int, total: Int, rows: Int, elapsed: Double, stepElapsed: Double
    ) {
      (self.task, self.step, self.done, self.total) = (task, step, done, total)
      (self.rows, self.elapsed, self.stepElapsed) = (rows, elapsed, stepElapsed)
    }
  }

  private let lock = NSLock()
  private var status: Status
  private let started: UInt64
  private var stepStarted: UInt64
  private var lastReport: UInt64 = 0
  private let report: @Sendable (Status) -> Void

  public init(task: String, report: @escaping @Sendable (Status) -> Void) {
    self.status = Status(task: task, step: "", done: 0, total: 0, rows: 0, elapsed: 0, stepElapsed: 0)
    self.report = report
    self.started = DispatchTime.now().uptimeNanoseconds
    self.stepStarted = started
  }

  /// Starts a step of `total` units (bytes, rows or parts).
  public func begin(_ step: String, total: Int) {
    lock.withLock {
      status.step = step
      status.total = total
      status.done = 0
      status.rows = 0
      stepStarted = DispatchTime.now().uptimeNanoseconds
    }
    advance(by: 0)
  }

  /// `units` more of the step done, and `rows` more rows through it.
  public func advance(by units: Int, rows: Int = 0) {
    let now = DispatchTime.now().uptimeNanoseconds
    // Reported under the lock, so reports arrive in order (the last is the latest).
    lock.withLock {
      status.done += units
      status.rows += rows
      guard now - lastReport >= 100_000_000 || status.done >= status.total else { return }
      lastReport = now
      status.elapsed = Double(now - started) / 1e9
      status.stepElapsed = Double(now - stepStarted) / 1e9
      report(status)
    }
  }
}
