import Dispatch

/// Placing a stored dictionary's strings into its index as a snapshot is opened: once
/// each, checking for a repeat on the way to its empty slot (a `find` and then a `place`
/// cost a store of a million names 50 ms more to open). A big dictionary is placed on both
/// cores, each core filling the half of the slots its strings' home slots fall in; a probe
/// that would cross out of its half is left for a last pass on one core. Linear probing
/// does not depend on the order strings arrive in, so the index is one a single pass could
/// have built. (Placing was a fifth of opening a 10M-deal store, on one core.)
extension StringDictionary {
  /// The index for `strings` with `hashes`, in `size` slots; nil when two strings are one value.
  static func placed(_ strings: PackedStrings, hashes: [UInt32], size: Int) -> [Int32]? {
    var slots = [Int32](repeating: -1, count: size)
    let ok = slots.withUnsafeMutableBufferPointer { buffer -> Bool in
      guard strings.count >= 1 << 16 else { return place(strings.indices, strings, hashes, into: buffer) }
      let table = UncheckedSendable(buffer)
      let left = ParallelSlots<[Int]?>(count: 2)
      DispatchQueue.concurrentPerform(iterations: 2) { part in
        left[part] = placeHalf(part, strings, hashes, into: table.value)
      }
      guard let first = left[0], let second = left[1] else { return false }
      return place(first + second, strings, hashes, into: buffer)
    }
    return ok ? slots : nil
  }

  /// Places `codes` anywhere in the table; false at a repeat.
  private static func place<C: Collection<Int>>(
    _ codes: C, _ strings: PackedStrings, _ hashes: [UInt32], into slots: UnsafeMutableBufferPointer<Int32>
  ) -> Bool {
    let mask = slots.count - 1
    for code in codes {
      let hash = hashes[code]
      var slot = Int(hash) & mask
      while slots[slot] >= 0 {
        let other = Int(slots[slot])
        if hashes[other] == hash && strings.withBytes(of: code, { same(strings, code: other, $0) }) { return false }
        slot = (slot + 1) & mask
      }
      slots[slot] = Int32(code)
    }
    return true
  }

  /// Places the strings whose home slot is in half `part`, within that half; returns the
  /// ones whose probe reached its end, or nil at a repeat.
  private static func placeHalf(
    _ part: Int, _ strings: PackedStrings, _ hashes: [UInt32], into slots: UnsafeMutableBufferPointer<Int32>
  ) -> [Int]? {
    let half = slots.count / 2
    let (low, high) = (part * half, (part + 1) * half)
    let mask = slots.count - 1
    var left: [Int] = []
    for code in hashes.indices {
      let hash = hashes[code]
      var slot = Int(hash) & mask
      guard slot >= low && slot < high else { continue }
      while true {
        if slot == high {
          left.append(code)
          break
        }
        let other = Int(slots[slot])
        if other < 0 {
          slots[slot] = Int32(code)
          break
        }
        if hashes[other] == hash && strings.withBytes(of: code, { same(strings, code: other, $0) }) { return nil }
        slot += 1
      }
    }
    return left
  }
}
