#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How wide the parallel work (filter scans, CSV pieces, big reads) goes.
public enum Parallel {
  /// The cores online when pipeq started.
  public static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
