import ArgumentParser
import Foundation
import PipeqCore

/// Writes the deterministic demo pipeline as CSV (the demo store, tests, benchmark).
@main
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeq-gen", abstract: "Write a deterministic demo pipeline as CSV.")

  @Option(help: "How many deals.") var deals = 3000
  @Option(help: "Random seed.") var seed: UInt64 = 42
  @Option(help: "The day the pipeline is generated around, YYYY-MM-DD.") var today = "2026-11-27"
  @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
  @Flag(help: "Give every deal its own name, as a CRM's export has (the benchmark's second import).")
  var distinctNames = false
  @Option(
    help:
      "demo: a few dozen accounts and six owners; crm: cardinalities like a real CRM's export (accounts ≈ 13% of deals, distinct names, 30–500 owners, long-tailed values)."
  )
  var shape: PipelineGenerator.Shape = .demo

  func run() throws {
    guard let day = Day(iso: today) else { throw ValidationError("--today must be YYYY-MM-DD") }
    let csv = PipelineGenerator(seed: seed, today: day, distinctNames: distinctNames, shape: shape).csv(count: deals)
    if let output {
      try csv.write(toFile: output, atomically: true, encoding: .utf8)
    } else {
      FileHandle.standardOutput.write(csv.data(using: .utf8)!)
    }
  }
}

extension PipelineGenerator.Shape: ExpressibleByArgument {}
