import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One writer per store: an exclusive `flock` on `STORE.lock`, which holds the writer's
/// PID so a second process can say who has it. The kernel drops the lock when the
/// process dies, so a crash never leaves a store locked.
final class StoreLock {
  private let fd: Int32

  private init(fd: Int32) { self.fd = fd }

  static func acquire(store path: String) throws(DiagnosticError) -> StoreLock {
    let lockPath = path + ".lock"
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw DiagnosticError(
        Diagnostic(.error, FileError(operation: "open", path: lockPath, code: errno).description, location: path))
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      var buffer = [UInt8](repeating: 0, count: 32)
      let count = pread(fd, &buffer, buffer.count, 0)
      Glibc.close(fd)
      let pid =
        count > 0
        ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
      throw DiagnosticError(
        Diagnostic(
          .error, "store \(path) is in use by PID \(pid)", location: path,
          help: "wait for it to finish, or open the store with --read-only to read it"))
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pwrite(fd, pid, pid.count, 0)
    return StoreLock(fd: fd)
  }

  deinit { Glibc.close(fd) }
}
