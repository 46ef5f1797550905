/// The active journal, open for appending. An append is durable when it returns; when
/// it fails the file is cut back to its last good record, and a failed sync stops every
/// later write (a retried fsync can report success for data that never reached disk).
final class Journal {
  let path: String
  private let fileSystem: FileSystem
  private let fd: Int32
  /// Where the last acknowledged record ends.
  private(set) var size: Int
  /// Why writing stopped, once a sync has failed.
  private(set) var stoppedBecause: String?

  init(path: String, fileSystem: FileSystem, size: Int) throws(FileError) {
    self.path = path
    self.fileSystem = fileSystem
    self.fd = try fileSystem.openForAppend(path)
    self.size = size
  }

  /// Creates a fresh journal at `path` (atomically) for records after `baseSequence`.
  static func create(path: String, baseSequence: UInt64, fileSystem: FileSystem) throws(FileError) -> Journal {
    try fileSystem.replaceAtomically(path, with: JournalFormat.header(baseSequence: baseSequence))
    return try Journal(path: path, fileSystem: fileSystem, size: JournalFormat.headerSize)
  }

  func append(_ frame: [UInt8]) throws(FileError) {
    if let reason = stoppedBecause {
      throw FileError(operation: "write (writing stopped: \(reason))", path: path, code: EIO)
    }
    do {
      try fileSystem.write(fd, frame, path: path)
    } catch {
      cutBack()
      throw error
    }
    do {
      try fileSystem.sync(fd, path: path)
    } catch {
      stoppedBecause = "a sync of \(path) failed (\(String(cString: strerror(error.code)))); restart pipeq"
      cutBack()
      throw error
    }
    size += frame.count
  }

  /// Removes a partial or unacknowledged record; if even that fails, stop writing.
  private func cutBack() {
    do {
      try fileSystem.truncate(fd, to: size, path: path)
    } catch {
      stoppedBecause = stoppedBecause ?? "\(path) could not be cut back to its last good record"
    }
  }

  /// Whether the journal's name still stands for this file (a rename over it may have
  /// happened even when the step after it failed).
  var isStillNamed: Bool { StoreLock.sameFile(fd, path) }

  deinit { fileSystem.close(fd) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
