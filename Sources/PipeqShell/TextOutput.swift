#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the shell writes: results to one stream, errors, warnings and timings to the
/// other. Tests collect both as strings.
public protocol TextOutput: AnyObject {
  func write(_ text: String)
  func flush()
}

/// A file descriptor with a buffer, so a long listing is one write, not one per row.
public final class FileOutput: TextOutput {
  private let fd: Int32
  private var buffer: [UInt8] = []

  private let ownsDescriptor: Bool

  /// Output to a file descriptor: 1 for standard output, 2 for standard error.
  public init(fd: Int32) {
    self.fd = fd
    self.ownsDescriptor = false
  }

  /// A new or emptied file (for `.output`); nil when it cannot be created.
  public init?(creating path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return nil }
    self.fd = fd
    self.ownsDescriptor = true
  }

  deinit {
    flush()
    if ownsDescriptor { close(fd) }
  }

  public func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 || fd == 2 { flush() }
  }

  public func flush() {
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 {
        if written < 0 && errno == EINTR { continue }
        break
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  public var isTerminal: Bool { isatty(fd) == 1 }
}

/// Collects output in memory.
public final class StringOutput: TextOutput {
  public private(set) var text = ""
  public init() {}
  public func write(_ text: String) { self.text += text }
  public func flush() {}
}
