import Dispatch

/// A checkpoint's snapshot being written off the statement path, from a copy of the
/// columns taken when it started (copy-on-write: the columns a later statement changes
/// are copied then, the rest are shared). Statements go on meanwhile: their records go
/// to the fresh journal the checkpoint started, so the snapshot is never needed to keep
/// them. `wait` joins the writer and says how it went.
final class SnapshotJob: @unchecked Sendable {
  /// The last record the snapshot holds.
  let sequence: UInt64
  private let group = DispatchGroup()
  /// Set by the writer before it leaves the group; read only after `wait`.
  private var failure: DiagnosticError?

  /// Starts `write` on a background thread.
  init(sequence: UInt64, write: @escaping @Sendable () throws(DiagnosticError) -> Void) {
    self.sequence = sequence
    group.enter()
    DispatchQueue.global(qos: .utility).async { [self] in
      do throws(DiagnosticError) {
        try write()
      } catch {
        failure = error
      }
      group.leave()
    }
  }

  /// Whether the writer has finished, without waiting for it.
  var isDone: Bool { group.wait(timeout: .now()) == .success }

  /// Waits for the writer; throws what made it fail.
  func wait() throws(DiagnosticError) {
    group.wait()
    if let failure { throw failure }
  }
}
