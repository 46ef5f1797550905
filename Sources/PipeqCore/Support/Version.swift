/// pipeq's version, for `--version` and the banner; raised with each release.
public enum Version {
  public static let current = "0.9.0"
}
