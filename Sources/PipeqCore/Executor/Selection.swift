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
    let half = numbers.count / 2
    let upper = nth(half, in: numbers)
    guard numbers.count % 2 == 0 else { return (upper, upper) }
    // Everything before `half` is at most `upper`: the lower middle is their largest.
    return (UnsafeMutableBufferPointer(rebasing: numbers[..<half]).max()!, upper)
  }

  private static func medianOfThree(_ a: Int64, _ b: Int64, _ c: Int64) -> Int64 {
    max(min(a, b), min(max(a, b), c))
  }
}
