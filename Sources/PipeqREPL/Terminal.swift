#if canImport(Glibc)
  import Glibc
#endif

/// What the terminal is: its width (read each time, so a resize is picked up) and
/// whether colour is wanted.
public enum Terminal {
  public static func width() -> Int {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let columns = getenv("COLUMNS"), let value = Int(String(cString: columns)), value > 0 { return value }
    return 100
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
