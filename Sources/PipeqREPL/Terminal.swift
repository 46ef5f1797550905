import PipeqShell

#if canImport(Glibc)
  import Glibc
#endif

/// What the terminal is: its width (read each time, so a resize is picked up) and
/// whether colour is wanted.
public enum Terminal {
  public static func width(of fd: Int32 = 1) -> Int {
    var size = winsize()
    if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let columns = getenv("COLUMNS"), let value = Int(String(cString: columns)), value > 0 { return value }
    return 100
  }

  /// The screen's height in lines (24 when it cannot be read).
  public static func height() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
    if let lines = getenv("LINES"), let value = Int(String(cString: lines)), value > 0 { return value }
    return 24
  }

  /// The pager long results go through: `$PAGER` (empty: none), else `less -FRX`.
  public static func pager() -> String? {
    Screen.pager(chosen: getenv("PAGER").map { String(cString: $0) }, isInstalled: isInstalled)
  }

  /// Whether a program of that name is on `$PATH`.
  static func isInstalled(_ program: String) -> Bool {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
  }

  public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Colour unless NO_COLOR is set, `--color never` was given, or output is not a terminal.
  public static func wantsColor(option: String?) -> Bool {
    switch option {
    case "always": return true
    case "never": return false
    default:
      if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
      return isTerminal(1)
    }
  }
}
