// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the readers that take bytes from disk or people: the snapshot
// reader, the journal reader and the query parser. Built apart from the main package
// because they must be compiled with -sanitize=fuzzer,address (see `make fuzz`).
let package = Package(
  name: "pipeq-fuzz",
  dependencies: [.package(name: "pipeq", path: "..")],
  targets: [
    .executableTarget(name: "pipeq-fuzz", dependencies: [.product(name: "PipeqCore", package: "pipeq")])
  ],
  swiftLanguageModes: [.v6]
)
