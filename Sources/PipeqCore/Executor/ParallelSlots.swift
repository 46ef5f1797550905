/// Result slots that parallel jobs fill, each job its own slots.
final class ParallelSlots<Element>: @unchecked Sendable {
  private let base: UnsafeMutableBufferPointer<Element?>

  init(count: Int) {
    base = .allocate(capacity: count)
    base.initialize(repeating: nil)
  }

  subscript(index: Int) -> Element {
    get { base[index]! }
    set { base[index] = newValue }
  }

  deinit {
    base.deinitialize()
    base.deallocate()
  }
}

/// A value handed to parallel jobs that only read it (a buffer of bytes they checksum).
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
