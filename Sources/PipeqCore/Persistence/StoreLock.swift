#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One writer per store: an exclusive `flock` on the snapshot file itself. No file that
/// looks like a stale PID file can be deleted to let a second writer in; deleting the
/// snapshot is deleting the store. A checkpoint replaces the snapshot: it locks the new
/// file before renaming it into place, and a process that locked the file just replaced
/// finds that the name now stands for another file and tries again. The kernel drops the
/// lock when the process dies, so a crash never leaves a store locked.
final class StoreLock {
  private var fd: Int32

  private init(fd: Int32) { self.fd = fd }

  /// Locks the existing snapshot at `path`; nil when another process holds it.
  static func acquire(store path: String) throws(FileError) -> StoreLock? {
    for _ in 0..<100 {
      let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
      guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        Glibc.close(fd)
        return nil
      }
      if sameFile(fd, path) { return StoreLock(fd: fd) }
      // A checkpoint renamed a new snapshot over the one just locked: lock that one.
      Glibc.close(fd)
    }
    throw FileError(operation: "lock", path: path, code: EAGAIN)
  }

  /// Creates the store's first snapshot from the synced file `temp`, locked before it
  /// takes the name; nil when another process created the store first.
  static func create(store path: String, from temp: String) throws(FileError) -> StoreLock? {
    let fd = open(temp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open", path: temp, code: errno) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0, link(temp, path) == 0 else {
      let code = errno
      Glibc.close(fd)
      unlink(temp)
      if code == EEXIST { return nil }
      throw FileError(operation: "create", path: path, code: code)
    }
    unlink(temp)
    return StoreLock(fd: fd)
  }

  /// Locks `next`, the snapshot a checkpoint is about to rename over the store; the
  /// returned descriptor is handed to `adopt` once the rename is done.
  func lockReplacement(_ next: String) throws(FileError) -> Int32 {
    let fd = open(next, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open", path: next, code: errno) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let code = errno
      Glibc.close(fd)
      throw FileError(operation: "lock", path: next, code: code)
    }
    return fd
  }

  /// The renamed snapshot is the store now: hold its lock and let go of the old one.
  func adopt(_ replacement: Int32) {
    Glibc.close(fd)
    fd = replacement
  }

  /// Whether `path` still names the file open at `fd`.
  static func sameFile(_ fd: Int32, _ path: String) -> Bool {
    var held = stat()
    var named = stat()
    return fstat(fd, &held) == 0 && stat(path, &named) == 0 && held.st_ino == named.st_ino
      && held.st_dev == named.st_dev
  }

  deinit { Glibc.close(fd) }
}
