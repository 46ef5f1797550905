/// A dictionary-encoded text column.
public struct TextColumn: Sendable, Equatable {
  public var dictionary = StringDictionary()
  public var codes: [UInt32] = []

  public init() {}

  public func string(at row: Int) -> String { dictionary[codes[row]] }

  public mutating func append(_ string: String) { codes.append(dictionary.intern(string)) }

}

/// Tags: each distinct set of tags is stored once (most deals share a few
/// combinations), deals hold the set's code. Set 0 is the empty set.
public struct TagColumn: Sendable, Equatable {
  public var names = StringDictionary()
  /// Each set as tag-name codes in alphabetical order of the names, so a deal's tags
  /// read the same whatever order they were added in.
  public private(set) var sets: [[UInt32]] = [[]]
  private var setCodes: [[UInt32]: UInt32] = [[]: 0]
  public var codes: [UInt32] = []

  public init() {}

  public func tags(at row: Int) -> [String] { sets[Int(codes[row])].map { names[$0] } }

  public mutating func code(for tags: [String]) -> UInt32 {
    var members: [UInt32] = []
    var seen = Set<String>()
    for tag in tags where !tag.isEmpty && seen.insert(tag.folded).inserted {
      members.append(names.intern(tag))
    }
    let names = self.names
    members.sort { names[$0].folded < names[$1].folded }
    if let code = setCodes[members] { return code }
    let code = UInt32(sets.count)
    sets.append(members)
    setCodes[members] = code
    return code
  }

  public mutating func append(_ tags: [String]) { codes.append(code(for: tags)) }

  /// Rebuilds the lookup after decoding `sets` from disk.
  public mutating func restore(names: StringDictionary, sets: [[UInt32]], codes: [UInt32]) {
    self.names = names
    self.sets = sets
    self.codes = codes
    setCodes = [:]
    for (code, set) in sets.enumerated() { setCodes[set] = UInt32(code) }
  }

  public static func == (lhs: TagColumn, rhs: TagColumn) -> Bool {
    lhs.names == rhs.names && lhs.sets == rhs.sets && lhs.codes == rhs.codes
  }
}
