import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real file system through POSIX calls.
public final class PosixFileSystem: FileSystem {
  public static let shared = PosixFileSystem()

  public init() {}

  public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public func read(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
    defer { Glibc.close(fd) }
    var stats = stat()
    guard fstat(fd, &stats) == 0 else { throw FileError(operation: "read", path: path, code: errno) }
    guard (stats.st_mode & S_IFMT) == S_IFREG else { return try readStream(fd, path: path) }
    let expected = Int(stats.st_size)
    // Read straight into the array's storage at the size fstat reported, plus one byte
    // to see the end: a big snapshot is one copy from the page cache, never zeroed first.
    var failure: Int32 = 0
    var result = [UInt8](unsafeUninitializedCapacity: max(expected, 0) + 1) { buffer, count in
      count = 0
      // A big file is copied by every core at once, a part each (the copy from the page
      // cache is most of the time it takes); reading goes on from where the parts end.
      if expected >= PosixFileSystem.parallelReadSize, let base = buffer.baseAddress.map(UncheckedSendable.init) {
        let parts = ParallelSlots<Bool>(count: Parallel.cores)
        let size = expected / Parallel.cores
        DispatchQueue.concurrentPerform(iterations: Parallel.cores) { part in
          let start = part * size
          let end = part == Parallel.cores - 1 ? expected : start + size
          parts[part] = PosixFileSystem.readFully(fd, into: base.value + start, count: end - start, at: start)
        }
        guard (0..<Parallel.cores).allSatisfy({ parts[$0] }), lseek(fd, off_t(expected), SEEK_SET) >= 0 else {
          // A part failed or came up short (the file shrank): read it all in one pass.
          lseek(fd, 0, SEEK_SET)
          count = 0
          return PosixFileSystem.readSequentially(fd, into: buffer, count: &count, failure: &failure)
        }
        count = expected
      }
      PosixFileSystem.readSequentially(fd, into: buffer, count: &count, failure: &failure)
    }
    // The file grew since fstat: read the rest in chunks.
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while failure == 0 && result.count > expected {
      let read = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
      if read < 0 {
        if errno == EINTR { continue }
        failure = errno
      } else if read == 0 {
        break
      } else {
        result.append(contentsOf: chunk[0..<read])
      }
    }
    if failure != 0 { throw FileError(operation: "read", path: path, code: failure) }
    return result
  }

  /// The most read from a pipe or a device: `/dev/zero` must end in an error, not in
  /// memory running out.
  public static let streamLimit = 1 << 30

  /// Reads a pipe, a terminal or a device to its end, up to `streamLimit` bytes.
  private func readStream(_ fd: Int32, path: String) throws(FileError) -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let read = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
      if read < 0 {
        if errno == EINTR { continue }
        throw FileError(operation: "read", path: path, code: errno)
      }
      if read == 0 { return result }
      guard result.count + read <= PosixFileSystem.streamLimit else {
        throw FileError(
          operation: "read more than \(PosixFileSystem.streamLimit >> 30) GiB from", path: path, code: EFBIG)
      }
      result.append(contentsOf: chunk[0..<read])
    }
  }

  /// Files from this size on are read by all cores at once.
  static let parallelReadSize = 16 << 20

  /// Reads into `buffer` from `count` on until it is full or the file ends.
  private static func readSequentially(
    _ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, count: inout Int, failure: inout Int32
  ) {
    while count < buffer.count {
      let read = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
      if read < 0 {
        if errno == EINTR { continue }
        failure = errno
        return
      }
      if read == 0 { return }
      count += read
    }
  }

  /// Reads exactly `count` bytes at `offset`; false on an error or an early end.
  private static func readFully(_ fd: Int32, into base: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int)
    -> Bool
  {
    var done = 0
    while done < count {
      let read = pread(fd, base + done, count - done, off_t(offset + done))
      if read < 0 && errno == EINTR { continue }
      if read <= 0 { return false }
      done += read
    }
    return true
  }

  public func openForReading(_ path: String) throws(FileError) -> Int32 {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
    return fd
  }

  public func read(_ fd: Int32, at offset: Int, count: Int, path: String) throws(FileError) -> [UInt8] {
    var failure: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, done in
      done = 0
      while done < count {
        let read = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
        if read < 0 && errno == EINTR { continue }
        if read < 0 { failure = errno }
        if read <= 0 { break }
        done += read
      }
    }
    if failure != 0 { throw FileError(operation: "read", path: path, code: failure) }
    return bytes
  }

  public func openForAppend(_ path: String) throws(FileError) -> Int32 {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
    return fd
  }

  public func create(_ path: String) throws(FileError) -> Int32 {
    // Always a new file: a name planted beforehand (a symlink, a file) makes this fail
    // instead of writing through it.
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw FileError(operation: "create", path: path, code: errno) }
    return fd
  }

  public func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        throw FileError(operation: "write", path: path, code: errno)
      }
      if written == 0 { throw FileError(operation: "write", path: path, code: ENOSPC) }
      offset += written
    }
  }

  public func sync(_ fd: Int32, path: String) throws(FileError) {
    guard fdatasync(fd) == 0 else { throw FileError(operation: "sync", path: path, code: errno) }
  }

  public func truncate(_ fd: Int32, to size: Int, path: String) throws(FileError) {
    guard ftruncate(fd, off_t(size)) == 0 else { throw FileError(operation: "truncate", path: path, code: errno) }
  }

  public func size(_ fd: Int32) -> Int {
    var stats = stat()
    return fstat(fd, &stats) == 0 ? Int(stats.st_size) : 0
  }

  public func close(_ fd: Int32) { _ = Glibc.close(fd) }

  public func rename(_ from: String, to: String) throws(FileError) {
    guard Glibc.rename(from, to) == 0 else { throw FileError(operation: "rename \(from) to", path: to, code: errno) }
  }

  public func link(_ from: String, to: String) throws(FileError) {
    guard Glibc.link(from, to) == 0 else { throw FileError(operation: "link \(from) to", path: to, code: errno) }
  }

  public func remove(_ path: String) { unlink(path) }

  public func makeFolder(_ path: String) throws(FileError) {
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw FileError(operation: "create folder", path: path, code: errno)
    }
  }

  public func list(_ folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  public func syncFolder(of path: String) throws(FileError) {
    let name = folder(of: path)
    let fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open folder", path: name, code: errno) }
    defer { Glibc.close(fd) }
    guard fsync(fd) == 0 else { throw FileError(operation: "sync folder", path: name, code: errno) }
  }
}
