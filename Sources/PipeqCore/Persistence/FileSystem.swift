/// Every file operation the store performs, behind one protocol so tests can make
/// any single write, sync, truncate or rename fail and check that nothing is lost.
public protocol FileSystem: AnyObject, Sendable {
  func exists(_ path: String) -> Bool
  func read(_ path: String) throws(FileError) -> [UInt8]
  /// Opens for appending, creating the file (mode 0600) when missing; returns a descriptor.
  func openForAppend(_ path: String) throws(FileError) -> Int32
  /// Creates or empties a file (mode 0600) for writing.
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
    let temp = "\(path).tmp-\(getpid())"
    try writeDurably(temp, bytes)
    do {
      try rename(temp, to: path)
    } catch {
      remove(temp)
      throw error
    }
    try syncFolder(of: path)
  }

  /// Writes a new file and syncs it; the file is removed when any step fails.
  public func writeDurably(_ path: String, _ bytes: [UInt8]) throws(FileError) {
    let fd = try create(path)
    do throws(FileError) {
      if !bytes.isEmpty { try write(fd, bytes, path: path) }
      try sync(fd, path: path)
      close(fd)
    } catch {
      close(fd)
      remove(path)
      throw error
    }
  }
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
