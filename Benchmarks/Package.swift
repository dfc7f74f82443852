// swift-tools-version: 6.1
import PackageDescription

// The root package is depended on by path; its identity is its directory's name, which varies
// with where the repository was cloned, so derive it instead of hard-coding "engram".
let rootDirectory = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"
let root = rootDirectory.lowercased()

func benchmarkTarget(_ name: String, products: [String], local: [String] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")]
            + products.map { .product(name: $0, package: root) }
            + local.map { .target(name: $0) },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "EngramBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkCorpus",
            dependencies: [.product(name: "EngramIPLD", package: root), .product(name: "EngramProlly", package: root)]
        ),
        .executableTarget(name: "ipld-profile", dependencies: ["BenchmarkCorpus"]),
        .target(
            name: "StoreWorkload",
            dependencies: ["EngramIPLD", "EngramStore"].map { .product(name: $0, package: root) }
        ),
        .executableTarget(
            name: "store-profile",
            dependencies: ["StoreWorkload"] + ["EngramIPLD", "EngramStore"].map { .product(name: $0, package: root) }
        ),
        .executableTarget(
            name: "prolly-profile",
            dependencies: ["EngramIPLD", "EngramStore", "EngramProlly"].map { .product(name: $0, package: root) }
        ),
        .executableTarget(
            name: "ipld-corpus",
            dependencies: ["BenchmarkCorpus"]
        ),
        benchmarkTarget("IPLDBenchmarks", products: ["EngramIPLD"], local: ["BenchmarkCorpus"]),
        benchmarkTarget("StoreBenchmarks", products: ["EngramIPLD", "EngramStore", "EngramProlly", "Engram"], local: ["StoreWorkload"]),
        benchmarkTarget("ProllyBenchmarks", products: ["EngramIPLD", "EngramStore", "EngramProlly"]),
        benchmarkTarget("GraphBenchmarks", products: ["EngramIPLD", "EngramStore", "EngramProlly", "Engram"]),
        benchmarkTarget("MCPBenchmarks", products: ["Engram", "EngramMCP", "EngramMCPHTTP", "EngramServer", "EngramSync"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "RecallCorpus", dependencies: [.product(name: "EngramProlly", package: root)]),
        benchmarkTarget("RecallBenchmarks", products: ["EngramIPLD", "EngramStore", "EngramProlly", "Engram"],
                        local: ["RecallCorpus", "CSQLite"]),
        benchmarkTarget("SyncBenchmarks", products: ["EngramIPLD", "EngramStore", "EngramProlly", "Engram", "EngramSync"]),
        // Engram's side of scripts/prolly_peers.py (not a benchmark target: it prints JSON).
        .executableTarget(
            name: "ProllyPeerRun",
            dependencies: ["EngramIPLD", "EngramStore", "EngramProlly"].map { .product(name: $0, package: root) },
            path: "Sources/ProllyPeerRun"
        ),
    ]
)
