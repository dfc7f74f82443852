// swift-tools-version: 6.1
import PackageDescription

// The agent-memory story as a program that uses Engram like any other package would: by
// path here, by URL and version in yours (README "Use it from Swift").
let package = Package(
    name: "AgentMemory",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Engram", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "AgentMemory",
            dependencies: [
                .product(name: "Engram", package: "Engram"),
                .product(name: "EngramIPLD", package: "Engram"),
                .product(name: "EngramCAR", package: "Engram"),
                .product(name: "EngramSync", package: "Engram"),
            ]
        ),
    ]
)
