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

/// A value handed to parallel jobs: a buffer they read, or one each writes its own part of.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
