import Foundation

/// Dictionary encoding for a text column: each distinct string is stored once and deals
/// hold a 32-bit code. Code 0 is the empty value.
///
/// Tests are resolved against the dictionary once per statement (a few thousand
/// distinct owners, not a million rows), then rows compare codes.
public struct StringDictionary: Sendable, Equatable {
  public private(set) var strings: [String] = [""]
  private var codes: [String: UInt32] = ["": 0]

  public init() {}

  public var count: Int { strings.count }

  public subscript(code: UInt32) -> String { strings[Int(code)] }

  public func code(of string: String) -> UInt32? { codes[string] }

  /// The code for `string`, adding it when new.
  public mutating func intern(_ string: String) -> UInt32 {
    if let code = codes[string] { return code }
    let code = UInt32(strings.count)
    strings.append(string)
    codes[string] = code
    return code
  }

  public static func == (lhs: StringDictionary, rhs: StringDictionary) -> Bool {
    lhs.strings == rhs.strings
  }
}

extension String {
  /// Unicode case folding, used for every case-insensitive comparison.
  public var folded: String { folding(options: [.caseInsensitive], locale: nil) }
}
