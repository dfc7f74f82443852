// swift-tools-version: 6.1
import PackageDescription

// libFuzzer harnesses, kept out of the root package so its build and tests are unaffected.
// Build them through `run.sh`, which passes `-sanitize=fuzzer -parse-as-library` to every
// Swift module (the project's own included, so libFuzzer sees their coverage).

// The root package is depended on by path; its identity is its directory's name, which varies
// with where the repository was cloned, so derive it instead of hard-coding "engram".
let rootDirectory = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"
let root = rootDirectory.lowercased()

func harness(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", "CFuzzerDriver"] + products.map { .product(name: $0, package: root) },
        path: "Sources/\(name)"
    )
}

let package = Package(
    name: "EngramFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../")],
    targets: [
        .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver"] + ["EngramIPLD", "EngramStore", "EngramProlly"].map { .product(name: $0, package: root) },
            path: "Sources/FuzzSupport"
        ),
        harness("fuzz-dagcbor", ["EngramIPLD"]),
        harness("fuzz-dagjson", ["EngramIPLD"]),
        harness("fuzz-cid", ["EngramIPLD"]),
        harness("fuzz-prolly-node", ["EngramIPLD", "EngramProlly"]),
        harness("fuzz-prolly-tree", ["EngramIPLD", "EngramStore", "EngramProlly"]),
        harness("fuzz-journal", ["EngramIPLD", "EngramStore"]),
        harness("fuzz-pack-index", ["EngramIPLD", "EngramStore"]),
        harness("fuzz-car", ["EngramIPLD", "EngramStore", "EngramCAR"]),
    ],
    // Harnesses are single-threaded C entry points: the Swift 5 mode spares them the
    // concurrency checks on C globals such as `stderr`.
    swiftLanguageModes: [.v5]
)
