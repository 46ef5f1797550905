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
  /// Why writing failed (a full disk, a closed pipe), once it has; output is never lost
  /// silently.
  var failure: String? { get }
}

/// A file descriptor with a buffer, so a long listing is one write, not one per row.
public final class FileOutput: TextOutput {
  private let fd: Int32
  private var buffer: [UInt8] = []
  private let name: String
  public private(set) var failure: String?

  private let ownsDescriptor: Bool

  /// Output to a file descriptor: 1 for standard output, 2 for standard error.
  public init(fd: Int32) {
    self.fd = fd
    self.ownsDescriptor = false
    self.name = fd == 1 ? "standard output" : fd == 2 ? "standard error" : "descriptor \(fd)"
  }

  /// A new or emptied file (for `.output`), readable by its owner only; a device or a
  /// pipe is written as it is. Nil when it cannot be opened (errno says why).
  public init?(creating path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return nil }
    self.fd = fd
    self.ownsDescriptor = true
    self.name = path
  }

  private var closed = false

  deinit {
    flush()
    if ownsDescriptor && !closed { close(fd) }
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
        if failure == nil {
          failure = "cannot write to \(name): \(String(cString: strerror(written < 0 ? errno : ENOSPC)))"
        }
        break
      }
      offset += written
    }
    buffer.removeAll(keepingCapacity: true)
  }

  public var isTerminal: Bool { isatty(fd) == 1 }

  /// Flushes and closes a file it opened; false with `failure` set when that failed.
  public func finish() -> Bool {
    flush()
    guard ownsDescriptor, !closed else { return failure == nil }
    closed = true
    if Glibc.close(fd) != 0, failure == nil {
      failure = "cannot write to \(name): \(String(cString: strerror(errno)))"
    }
    return failure == nil
  }
}
