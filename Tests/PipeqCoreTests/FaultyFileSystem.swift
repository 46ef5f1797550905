import Foundation
import PipeqCore

/// The real file system, except that the n-th write, sync, truncate, rename, link or
/// create fails, as a full or failing disk would make it; or, with `crashAt`, that one
/// and every operation after it, removals included, as if the process died there.
/// A checkpoint's background writer uses it too, so the counting is locked.
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
  private let real = PosixFileSystem()
  private let counting = NSLock()
  /// Operations that may fail, counted from 1; 0 means never fail.
  var failAt = 0
  /// The operation from which nothing more reaches the disk; 0 means never.
  var crashAt = 0
  /// Operations that always fail, by name and path (a disk that refuses one kind of file).
  var failEvery: (String, String) -> Bool = { _, _ in false }
  var code: Int32 = ENOSPC
  private(set) var operations = 0
  private(set) var syncs = 0
  private(set) var failedOperation: String?

  private var crashed: Bool { crashAt > 0 && operations >= crashAt }

  private func step(_ name: String, _ path: String) throws(FileError) {
    counting.lock()
    defer { counting.unlock() }
    operations += 1
    if operations == failAt || crashed || failEvery(name, path) {
      failedOperation = failedOperation ?? name
      throw FileError(operation: name, path: path, code: code)
    }
  }

  func exists(_ path: String) -> Bool { real.exists(path) }
  func read(_ path: String) throws(FileError) -> [UInt8] { try real.read(path) }
  func openForReading(_ path: String) throws(FileError) -> Int32 { try real.openForReading(path) }
  func read(_ fd: Int32, at offset: Int, count: Int, path: String) throws(FileError) -> [UInt8] {
    try real.read(fd, at: offset, count: count, path: path)
  }
  func openForAppend(_ path: String) throws(FileError) -> Int32 {
    try step("open", path)
    return try real.openForAppend(path)
  }

  func create(_ path: String) throws(FileError) -> Int32 {
    try step("create", path)
    return try real.create(path)
  }

  func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
    let next = counting.withLock { operations + 1 }
    if next == failAt || next == crashAt, bytes.count > 1 {
      // A short write: half the bytes land, then the disk is full (or the process dies).
      try? real.write(fd, Array(bytes.prefix(bytes.count / 2)), path: path)
    }
    try step("write", path)
    try real.write(fd, bytes, path: path)
  }

  func sync(_ fd: Int32, path: String) throws(FileError) {
    counting.withLock { syncs += 1 }
    try step("sync", path)
    try real.sync(fd, path: path)
  }

  func truncate(_ fd: Int32, to size: Int, path: String) throws(FileError) {
    try step("truncate", path)
    try real.truncate(fd, to: size, path: path)
  }

  func size(_ fd: Int32) -> Int { real.size(fd) }
  func close(_ fd: Int32) { real.close(fd) }

  func rename(_ from: String, to: String) throws(FileError) {
    try step("rename", to)
    try real.rename(from, to: to)
  }

  func link(_ from: String, to: String) throws(FileError) {
    try step("link", to)
    try real.link(from, to: to)
  }

  func remove(_ path: String) {
    if !counting.withLock({ crashed }) { real.remove(path) }
  }
  func makeFolder(_ path: String) throws(FileError) { try real.makeFolder(path) }
  func list(_ folder: String) -> [String] { real.list(folder) }

  func syncFolder(of path: String) throws(FileError) {
    try step("sync folder", path)
    try real.syncFolder(of: path)
  }
}
