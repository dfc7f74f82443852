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
        .executable(name: "engram", targets: ["EngramCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
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
        .executableTarget(
            name: "EngramCLI",
            dependencies: [
                "EngramIPLD",
                "EngramStore",
                "EngramProlly",
                "Engram",
                "EngramSync",
                "EngramCAR",
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
            name: "EngramCLITests",
            dependencies: ["EngramIPLD", "EngramTestSupport"]
        ),
    ]
)
