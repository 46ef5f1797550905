// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "pipeq",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "pipeq", targets: ["pipeq"]),
    .library(name: "PipeqCore", targets: ["PipeqCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // The language, the store and persistence. No terminal I/O: results and
    // diagnostics are values that the shell layer renders.
    .target(name: "PipeqCore", dependencies: ["CCRC32C"], exclude: ["Persistence/FORMAT.md", "DESIGN.md"]),
    // CRC-32C with the CPU's crc32 instruction (SSE4.2), checked for at run time.
    .target(name: "CCRC32C"),
    // Runs statements from -c, scripts and stdin; renders results and errors.
    .target(name: "PipeqShell", dependencies: ["PipeqCore"]),
    // The system's libedit (Debian: libedit-dev), with a C shim for its variadic calls.
    .systemLibrary(
      name: "CLibedit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
    // The interactive session: line editing, history, completion, confirmation.
    .target(name: "PipeqREPL", dependencies: ["PipeqShell", "CLibedit"]),
    // The thin executable: argument parsing only.
    .executableTarget(
      name: "pipeq",
      dependencies: [
        "PipeqShell",
        "PipeqREPL",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Writes the deterministic demo / benchmark pipeline as CSV.
    .executableTarget(
      name: "pipeq-gen",
      dependencies: [
        "PipeqCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "PipeqCoreTests", dependencies: ["PipeqCore"]),
    .testTarget(name: "PipeqREPLTests", dependencies: ["PipeqREPL", "PipeqCore"]),
    .testTarget(
      name: "PipeqEndToEndTests",
      dependencies: ["PipeqCore", "pipeq", "pipeq-gen"],
      resources: []
    ),
  ],
  swiftLanguageModes: [.v6]
)
