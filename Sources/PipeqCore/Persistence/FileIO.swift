#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin POSIX file calls with errors that name the file. Every write of the store goes
/// through `replaceAtomically`, the only place that orders write → fsync → rename →
/// fsync of the folder.
public enum FileIO {
  public struct Failure: Error, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32
    public var description: String {
      "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
  }

  public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public static func read(_ path: String) throws(Failure) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
    defer { close(fd) }
    var result: [UInt8] = []
    var stats = stat()
    if fstat(fd, &stats) == 0, stats.st_size > 0 { result.reserveCapacity(Int(stats.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(operation: "read", path: path, code: errno)
      }
      if count == 0 { return result }
      result.append(contentsOf: chunk[0..<count])
    }
  }

  /// Writes all of `bytes`, retrying short writes and interrupted calls.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        throw Failure(operation: "write", path: path, code: errno)
      }
      if written == 0 { throw Failure(operation: "write", path: path, code: ENOSPC) }
      offset += written
    }
  }

  /// Replaces `path` with `bytes` so that a crash leaves either the old file or the new
  /// one: temp file in the same folder → write → fsync → rename → fsync the folder.
  /// New files are readable by their owner only.
  public static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(Failure) {
    let temp = "\(path).tmp-\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Failure(operation: "create", path: temp, code: errno) }
    do throws(Failure) {
      if !bytes.isEmpty { try writeAll(fd, bytes, path: temp) }
      guard fsync(fd) == 0 else { throw Failure(operation: "sync", path: temp, code: errno) }
      guard close(fd) == 0 else { throw Failure(operation: "close", path: temp, code: errno) }
    } catch {
      close(fd)
      unlink(temp)
      throw error
    }
    guard rename(temp, path) == 0 else {
      let code = errno
      unlink(temp)
      throw Failure(operation: "rename onto", path: path, code: code)
    }
    try syncFolder(of: path)
  }

  public static func syncFolder(of path: String) throws(Failure) {
    let folder = directory(of: path)
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw Failure(operation: "open folder", path: folder, code: errno) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw Failure(operation: "sync folder", path: folder, code: errno) }
  }

  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }
}
