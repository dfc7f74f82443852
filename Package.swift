// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Engram",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EngramIPLD", targets: ["EngramIPLD"]),
        .library(name: "EngramStorage", targets: ["EngramStorage"]),
        .library(name: "EngramStore", targets: ["EngramStore"]),
        .library(name: "EngramProlly", targets: ["EngramProlly"]),
        .library(name: "EngramCAR", targets: ["EngramCAR"]),
        .library(name: "Engram", targets: ["Engram"]),
        .library(name: "EngramSync", targets: ["EngramSync"]),
        .library(name: "EngramServer", targets: ["EngramServer"]),
        .library(name: "EngramHTTPRemote", targets: ["EngramHTTPRemote"]),
        .library(name: "EngramMCP", targets: ["EngramMCP"]),
        .library(name: "EngramMCPHTTP", targets: ["EngramMCPHTTP"]),
        .executable(name: "engram", targets: ["EngramCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already resolved under Hummingbird and AsyncHTTPClient; named so the HTTP modules can import NIOCore.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // Already resolved under Hummingbird; named so EngramMCPHTTP can end its streams on shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // Only EngramMCP, EngramMCPHTTP, the `engram` executable and EngramMCPTests depend on it.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibB2",
            pkgConfig: "libb2",
            providers: [.apt(["libb2-dev"]), .brew(["libb2"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        .target(name: "CEngramCRC32C"),
        .target(
            name: "EngramIPLD",
            dependencies: [
                "CLibB2",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "EngramStorage",
            dependencies: ["EngramIPLD"]
        ),
        .target(
            name: "EngramStore",
            dependencies: ["EngramIPLD", "EngramStorage", "CZstd", "CEngramCRC32C"]
        ),
        .target(
            name: "EngramProlly",
            dependencies: ["EngramIPLD", "EngramStorage"]
        ),
        .target(
            name: "EngramCAR",
            dependencies: ["EngramIPLD", "EngramStore"]
        ),
        .target(
            name: "Engram",
            dependencies: ["EngramIPLD", "EngramStorage", "EngramStore", "EngramProlly"]
        ),
        .target(
            name: "EngramSync",
            dependencies: ["EngramIPLD", "EngramStorage", "EngramStore", "Engram", "EngramCAR"]
        ),
        // The HTTP server and client sit in their own modules so the core targets and their
        // tests build without Hummingbird, NIO or AsyncHTTPClient.
        .target(
            name: "EngramHTTPWire",
            dependencies: ["EngramIPLD", "EngramStorage", "EngramSync", "EngramCAR"]
        ),
        .target(
            name: "EngramServer",
            dependencies: [
                "EngramIPLD", "EngramStore", "Engram", "EngramSync", "EngramCAR", "EngramHTTPWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "EngramHTTPRemote",
            dependencies: [
                "EngramIPLD", "EngramStorage", "EngramSync", "EngramCAR", "EngramHTTPWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The MCP server: its own module so the core targets and their tests build without the SDK.
        .target(
            name: "EngramMCP",
            dependencies: [
                "EngramIPLD", "EngramStorage", "EngramStore", "EngramProlly", "Engram",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The MCP server behind a route of `engram serve`: the bridge between the two, so that
        // neither EngramServer nor its tests build the SDK.
        .target(
            name: "EngramMCPHTTP",
            dependencies: [
                "Engram", "EngramMCP", "EngramServer",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "EngramCLI",
            dependencies: [
                "EngramIPLD",
                "EngramStore",
                "EngramProlly",
                "Engram",
                "EngramSync",
                "EngramCAR",
                "EngramServer",
                "EngramHTTPRemote",
                "EngramMCP",
                "EngramMCPHTTP",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "engram-crash-writer",
            dependencies: ["EngramIPLD", "EngramStore", "EngramTestSupport"],
            path: "Sources/EngramCrashWriter"
        ),
        .target(
            name: "EngramTestSupport",
            dependencies: ["EngramIPLD", "EngramProlly"],
            path: "Tests/EngramTestSupport"
        ),
        .testTarget(
            name: "EngramIPLDTests",
            dependencies: [
                "EngramIPLD",
                "EngramTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "EngramStoreTests",
            dependencies: [
                "EngramStore",
                "EngramTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "EngramCARTests",
            dependencies: ["EngramCAR", "EngramStore", "EngramTestSupport"]
        ),
        .testTarget(
            name: "EngramProllyTests",
            dependencies: [
                "EngramProlly",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "EngramTests",
            dependencies: [
                "Engram",
                "EngramTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "EngramSyncTests",
            dependencies: ["EngramSync", "Engram", "EngramStore", "EngramCAR", "EngramTestSupport"]
        ),
        .testTarget(
            name: "EngramServerTests",
            dependencies: [
                "EngramServer", "EngramHTTPRemote", "EngramHTTPWire", "EngramSync", "EngramCAR", "EngramStore", "EngramTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "EngramMCPTests",
            dependencies: [
                "EngramMCP", "EngramMCPHTTP", "EngramServer", "EngramSync", "Engram", "EngramIPLD", "EngramStore", "EngramTestSupport",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "EngramCLITests",
            dependencies: ["EngramIPLD", "EngramTestSupport"]
        ),
    ]
)

// The documentation plugin only where the docs are built (scripts/docs.sh sets ENGRAM_DOCS=1),
// so that using Engram as a dependency never fetches it.
if Context.environment["ENGRAM_DOCS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
