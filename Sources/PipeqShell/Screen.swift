import PipeqCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A terminal the shell's results are read on: a result taller than the screen goes
/// through the pager, or, with the pager off, a table shows its first rows and says how
/// to see the rest. The shell has none in scripts and pipes, which get everything.
public struct Screen {
  /// The screen's height in lines, read at each result (a resize is picked up).
  public var height: () -> Int
  /// The pager's command (`$PAGER`, else `less -FRX`); nil when there is none to run.
  public var pagerCommand: String?
  public var pagerOn = true
  public var rowLimit: MetaCommand.RowLimit = .first(Screen.defaultRows)
  public static let defaultRows = 40

  public init(height: @escaping () -> Int, pagerCommand: String?) {
    self.height = height
    self.pagerCommand = pagerCommand
  }

  /// Whether long results go through the pager now.
  var pages: Bool { pagerOn && pagerCommand != nil }

  /// A table cut to the row limit when it will not be paged; the line under it says how
  /// many rows there are and how to see them all.
  func capped(_ result: StatementResult) -> StatementResult {
    guard !pages, case .first(let limit) = rowLimit, case .table(var table) = result, table.rows.count > limit
    else { return result }
    let total = max(table.totalRows ?? table.rows.count, table.rows.count)
    table.rows.removeLast(table.rows.count - limit)
    table.totalRows = total
    table.rowNoun = table.rowNoun ?? "row"
    table.moreHint = ".rows all shows every row"
    return .table(table)
  }

  /// True when `text` is taller than the screen and the pager should show it.
  func shouldPage(_ text: String) -> Bool {
    guard pages else { return false }
    var lines = 0
    let limit = max(1, height() - 1)
    for byte in text.utf8 where byte == 10 {
      lines += 1
      if lines >= limit { return true }
    }
    return false
  }

  /// The pager for this environment: `$PAGER` when set (empty turns paging off), else
  /// `less -FRX` when less is installed.
  public static func pager(chosen: String?, isInstalled: (String) -> Bool) -> String? {
    if let chosen {
      return chosen.split(separator: " ").isEmpty ? nil : chosen
    }
    return isInstalled("less") ? "less -FRX" : nil
  }

  /// Writes `text` through the pager; false when it could not be started (the caller
  /// writes the text itself).
  static func page(_ text: String, command: String) -> Bool {
    guard let pipe = popen(command, "w") else { return false }
    // A pager quit early closes its end: that is not an error of pipeq's.
    let previous = signal(SIGPIPE, SIG_IGN)
    _ = text.withCString { fputs($0, pipe) }
    let status = pclose(pipe)
    signal(SIGPIPE, previous)
    // 127: the shell found no such command; nothing was shown.
    return !(status != -1 && (status >> 8) & 0xFF == 127)
  }
}
