/// Every file operation the store performs, behind one protocol so tests can make
/// any single write, sync, truncate or rename fail and check that nothing is lost.
public protocol FileSystem: AnyObject, Sendable {
  func exists(_ path: String) -> Bool
  func read(_ path: String) throws(FileError) -> [UInt8]
  /// Opens an existing file for reading; returns a descriptor.
  func openForReading(_ path: String) throws(FileError) -> Int32
  /// Up to `count` bytes from `offset` (fewer at the end of the file).
  func read(_ fd: Int32, at offset: Int, count: Int, path: String) throws(FileError) -> [UInt8]
  /// Opens for appending, creating the file (mode 0600) when missing; returns a descriptor.
  func openForAppend(_ path: String) throws(FileError) -> Int32
  /// Creates a new file (mode 0600) for writing; fails when the name is taken.
  func create(_ path: String) throws(FileError) -> Int32
  /// Writes all bytes (short writes are continued; a write that makes no progress fails).
  func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError)
  /// fdatasync: the file's data is on stable storage when this returns.
  func sync(_ fd: Int32, path: String) throws(FileError)
  func truncate(_ fd: Int32, to size: Int, path: String) throws(FileError)
  func size(_ fd: Int32) -> Int
  func close(_ fd: Int32)
  func rename(_ from: String, to: String) throws(FileError)
  func link(_ from: String, to: String) throws(FileError)
  func remove(_ path: String)
  func makeFolder(_ path: String) throws(FileError)
  func list(_ folder: String) -> [String]
  /// fsync of the folder holding `path`, so a rename or a new file survives a crash.
  func syncFolder(of path: String) throws(FileError)
}

/// A failed file operation, naming the file and the system's reason.
public struct FileError: Error, CustomStringConvertible, Sendable {
  public var operation: String
  public var path: String
  public var code: Int32

  public init(operation: String, path: String, code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  public var description: String {
    "cannot \(operation) \(path): \(String(cString: strerror(code)))"
  }
}

extension FileSystem {
  /// Replaces `path` with `bytes` so that a crash leaves either the old file or the new
  /// one: temp file in the same folder → write → fsync → rename → fsync the folder.
  public func replaceAtomically(_ path: String, with bytes: [UInt8]) throws(FileError) {
    let temp = temporaryName(for: path)
    try writeDurably(temp, bytes)
    do {
      try rename(temp, to: path)
    } catch {
      remove(temp)
      throw error
    }
    try syncFolder(of: path)
  }

  /// Writes to an existing device or pipe as it is (no temporary file, no rename).
  public func writeInPlace(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(operation: "open", path: path, code: errno) }
    defer { close(fd) }
    try write(fd, bytes, path: path)
  }

  /// Hands `body` the file's size and a reader of its byte ranges, so a big file is
  /// read a part at a time. Throws what `body` throws, or a `FileError`.
  public func readingRanges<T>(_ path: String, _ body: (Int, (Range<Int>) throws -> [UInt8]) throws -> T) throws -> T {
    let fd = try openForReading(path)
    defer { close(fd) }
    return try body(size(fd)) { range in try read(fd, at: range.lowerBound, count: range.count, path: path) }
  }

  /// Writes a new file from the pieces `body` hands out, then syncs it; the file is
  /// removed when any step fails. Only one piece is held at a time.
  public func writeDurably(
    _ path: String, pieces body: (_ emit: ([UInt8]) throws(FileError) -> Void) throws(FileError) -> Void
  )
    throws(FileError)
  {
    let fd = try create(path)
    do throws(FileError) {
      try body { piece throws(FileError) in if !piece.isEmpty { try write(fd, piece, path: path) } }
      try sync(fd, path: path)
      close(fd)
    } catch {
      close(fd)
      remove(path)
      throw error
    }
  }

  /// Writes a new file and syncs it; the file is removed when any step fails.
  public func writeDurably(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    try writeDurably(path) { emit throws(FileError) in try emit(bytes) }
  }
}

/// A name beside `path` that nobody can guess in advance (the PID can be read).
public func temporaryName(for path: String) -> String {
  "\(path).tmp-" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
}

/// What a name refers to, without following a symlink.
public enum FileKind: Equatable, Sendable {
  case missing, regular, directory, symlink, other

  public init(_ path: String) {
    var stats = stat()
    guard lstat(path, &stats) == 0 else {
      self = .missing
      return
    }
    switch stats.st_mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symlink
    default: self = .other
    }
  }
}

/// The absolute path a name stands for, symlinks resolved; for a name that does not
/// exist yet, its folder resolved and the name kept.
public func resolvedPath(_ path: String) -> String {
  if let real = realpath(path, nil) {
    defer { free(real) }
    return String(cString: real)
  }
  let name = path.split(separator: "/").last.map(String.init) ?? path
  guard let real = realpath(folder(of: path), nil) else { return path }
  defer { free(real) }
  let base = String(cString: real)
  return (base == "/" ? "" : base) + "/" + name
}

public func folder(of path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  let folder = String(path[..<slash])
  return folder.isEmpty ? "/" : folder
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
