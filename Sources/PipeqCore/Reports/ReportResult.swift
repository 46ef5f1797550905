/// What a report produced: text for a terminal (laid out for its width), a table for
/// CSV, and a JSON object. Reports compute their figures once; the three forms render
/// the same figures.
public struct ReportResult: Sendable {
  public var table: ResultTable
  public var json: String
  public var text: @Sendable (_ width: Int) -> String

  public init(table: ResultTable, json: String, text: @escaping @Sendable (_ width: Int) -> String) {
    self.table = table
    self.json = json
    self.text = text
  }
}
