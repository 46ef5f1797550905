/// "Did you mean" suggestions: the nearest candidate by edit distance, if close enough
/// to be a plausible typo.
public enum Suggestion {
  public static func nearest<S: Sequence>(to word: String, in candidates: S) -> String?
  where S.Element == String {
    let target = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
      let distance = editDistance(target, Array(candidate.lowercased()))
      if distance == 0 { continue }
      if best == nil || distance < best!.1 { best = (candidate, distance) }
    }
    guard let (name, distance) = best else { return nil }
    let limit = max(1, min(3, target.count / 3 + 1))
    return distance <= limit ? name : nil
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and
  /// swaps of neighbours ("wno" → "won") each count as one edit.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var twoBack = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var row = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      row[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          row[j] = min(row[j], twoBack[j - 2] + 1)
        }
      }
      (twoBack, previous, row) = (previous, row, twoBack)
    }
    return previous[b.count]
  }
}
