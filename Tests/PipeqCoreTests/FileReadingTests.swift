import Foundation
import Testing

@testable import PipeqCore

/// Files are read in one copy at the size the file system reports, and still whole when
/// that size is wrong (a file still being written, a pipe). Big files are read in
/// parts by all cores; the parts must join up exactly.
@Suite struct FileReadingTests {
  @Test(arguments: [
    0, 1, 65_535, 65_536, 200_003, PosixFileSystem.parallelReadSize, PosixFileSystem.parallelReadSize + 3,
  ])
  func aFileReadsBackWhole(size: Int) throws {
    let path = SnapshotTests.temporaryPath()
    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try PosixFileSystem.shared.read(path) == bytes)
  }

  @Test func aPipeWhoseSizeIsUnknownReadsWhole() throws {
    let path = SnapshotTests.temporaryPath()
    #expect(mkfifo(path, 0o600) == 0)
    let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
    let writer = Thread {
      let handle = FileHandle(forWritingAtPath: path)!
      handle.write(Data(bytes))
      try? handle.close()
    }
    writer.start()
    #expect(try PosixFileSystem.shared.read(path) == bytes)
  }

  @Test func aMissingFileSaysWhichAndWhy() {
    #expect(throws: FileError.self) { try PosixFileSystem.shared.read("/nonexistent/pipeq-store") }
  }
}
