@testable import PipeqCore

/// Writing the formats of earlier versions by hand, for the tests that open them.
enum LegacyFormats {
  /// The snapshot with its pipelines block in the names-only catalog of snapshot formats
  /// 1–3 (stage kinds follow from the names there).
  static func namesOnlyCatalog(in snapshot: [UInt8]) -> [UInt8] {
    var offset = 16
    while offset < snapshot.count {
      let kind = snapshot[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
      let length = Int(snapshot[offset + 4..<offset + 12].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
      let end = offset + 12 + length + 4
      if kind == 1 {
        var reader = ByteReader(snapshot, from: offset + 12, to: offset + 12 + length)
        let catalog = try! reader.pipelines()
        var block = ByteWriter()
        block.block(1) { writer in
          writer.u32(UInt32(catalog.pipelines.count))
          for pipeline in catalog.pipelines {
            writer.string(pipeline.name)
            writer.strings(pipeline.stages.map { catalog.stages[Int($0)].name })
          }
          writer.strings(catalog.stages.map { "\($0.pipeline):\($0.name)" })
        }
        return Array(snapshot[..<offset]) + block.bytes + Array(snapshot[end...])
      }
      offset = end
    }
    return snapshot
  }
}
