import Dispatch
import Foundation
import PipeqCore
import Testing

@testable import PipeqShell

/// Long work shows a bar on standard error: step, share done and rows a second, drawn
/// only after a second, erased when the statement ends.
@Suite struct ProgressBarTests {
  final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func append(_ text: String) { lock.withLock { parts.append(text) } }
    var text: String { lock.withLock { parts.joined() } }
  }

  static func status(elapsed: Double, done: Int = 57, rows: Int = 412_000) -> WorkProgress.Status {
    WorkProgress.Status(
      task: "importing deals.csv", step: "parsing", done: done, total: 100, rows: rows, elapsed: elapsed,
      stepElapsed: 4)
  }

  @Test func theLineSaysTheStepTheShareAndTheRate() {
    let line = ProgressBar.line(Self.status(elapsed: 5), width: 120)
    #expect(line == "importing deals.csv  parsing  [███████████·········]  57%  412,000 rows  103k rows/s")
    #expect(ProgressBar.line(Self.status(elapsed: 5), width: 40).displayWidth <= 39)
  }

  @Test func quickWorkDrawsNothingAndTheBarIsErasedAfter() {
    let captured = Captured()
    let bar = ProgressBar(width: { 80 }, write: { captured.append($0) })
    // Every report of a task under a second old is left undrawn; nothing to erase then.
    let progress = bar.start("importing deals.csv")
    progress.begin("parsing", total: 10)
    progress.advance(by: 10, rows: 10)
    bar.clear()
    #expect(captured.text.isEmpty)
  }

  @Test func advancesFromSeveralCoresAddUp() {
    final class Last: @unchecked Sendable {
      let lock = NSLock()
      var status: WorkProgress.Status?
    }
    let last = Last()
    let progress = WorkProgress(task: "t") { status in last.lock.withLock { last.status = status } }
    progress.begin("parsing", total: 8 * 1000)
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<1000 { progress.advance(by: 1, rows: 2) }
    }
    // The report at the end of the step is never held back by the ten-a-second limit.
    let final = last.lock.withLock { last.status }
    #expect(final?.done == 8000)
    #expect(final?.rows == 16_000)
    #expect(final?.fraction == 1)
  }
}
