/// Order statistics without sorting: a median needs the middle value, not every value in
/// order, and selection finds it in linear time where a sort takes n log n (a median by
/// stage over ten million deals sorted 1.2 s).
enum Selection {
  /// Reorders `numbers` so the k-th smallest (from 0) is at `k`, none after it smaller and
  /// none before it larger; returns it. Quickselect with a median-of-three pivot and a
  /// three-way partition, so many equal values (round amounts) stay linear.
  static func nth(_ k: Int, of numbers: inout [Int64]) -> Int64 {
    numbers.withUnsafeMutableBufferPointer { nth(k, in: $0) }
  }

  /// `nth` over a part of a larger buffer (each group's values of a median by group).
  static func nth(_ k: Int, in a: UnsafeMutableBufferPointer<Int64>) -> Int64 {
    precondition(k >= 0 && k < a.count)
    var low = 0
    var high = a.count - 1
    while low < high {
      let pivot = medianOfThree(a[low], a[(low + high) / 2], a[high])
      // a[low..<less] < pivot, a[less..<index] == pivot, a[greater+1...high] > pivot.
      var less = low
      var index = low
      var greater = high
      while index <= greater {
        if a[index] < pivot {
          a.swapAt(less, index)
          less += 1
          index += 1
        } else if a[index] > pivot {
          a.swapAt(index, greater)
          greater -= 1
        } else {
          index += 1
        }
      }
      if k < less {
        high = less - 1
      } else if k > greater {
        low = greater + 1
      } else {
        return a[k]
      }
    }
    return a[k]
  }

  /// The middle one or two values of `numbers` (reordered): (lower, upper) are equal for
  /// an odd count.
  static func middle(of numbers: inout [Int64]) -> (lower: Int64, upper: Int64) {
    numbers.withUnsafeMutableBufferPointer { middle(in: $0) }
  }

  /// `middle` over a part of a larger buffer.
  static func middle(in numbers: UnsafeMutableBufferPointer<Int64>) -> (lower: Int64, upper: Int64) {
    if numbers.count >= sampledFrom, let middle = sampledMiddle(numbers) { return middle }
    let half = numbers.count / 2
    let upper = nth(half, in: numbers)
    guard numbers.count % 2 == 0 else { return (upper, upper) }
    // Everything before `half` is at most `upper`: the lower middle is their largest.
    return (UnsafeMutableBufferPointer(rebasing: numbers[..<half]).max()!, upper)
  }

  /// Lists this long find their middle through a sample.
  static let sampledFrom = 1 << 16
  private static let sampleSize = 1 << 14

  /// A long list's middle through a sample: the sorted sample brackets the middle ranks
  /// between two values (six standard deviations of a sample median either side), one
  /// pass counts the values below the bracket and keeps those in it, and only those are
  /// selected. One pass instead of a quickselect's several partitioning ones (two thirds
  /// of `median value by stage` at ten million deals). nil when the bracket missed the
  /// middle, for a full selection; `numbers` is left as it is.
  private static func sampledMiddle(_ numbers: UnsafeMutableBufferPointer<Int64>) -> (lower: Int64, upper: Int64)? {
    let count = numbers.count
    let (lowerRank, upperRank) = ((count - 1) / 2, count / 2)
    let step = count / sampleSize
    let sample = (0..<sampleSize).map { numbers[$0 * step] }.sorted()
    let margin = 3 * Int(Double(sampleSize).squareRoot())
    let (low, high) = (sample[sampleSize / 2 - margin], sample[sampleSize / 2 + margin])
    var below = 0
    var inside: [Int64] = []
    inside.reserveCapacity(count / 16)
    for number in numbers {
      below &+= number < low ? 1 : 0
      if number >= low && number <= high { inside.append(number) }
    }
    guard below <= lowerRank, below + inside.count > upperRank else { return nil }
    return inside.withUnsafeMutableBufferPointer { inside in
      let upper = nth(upperRank - below, in: inside)
      guard lowerRank != upperRank else { return (upper, upper) }
      // Everything before the upper middle is at most it: the lower middle is their largest.
      return (UnsafeMutableBufferPointer(rebasing: inside[..<(upperRank - below)]).max()!, upper)
    }
  }

  private static func medianOfThree(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
    max(min(a, b), min(max(a, b), c))
  }
}
