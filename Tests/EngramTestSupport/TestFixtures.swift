import EngramIPLD
import Foundation

/// Locates the public conformance vectors (`../shared/fixtures`) and the project's own `Fixtures/`.
public enum TestFixtures {
    /// The package root, found from this file's path (Tests/EngramTestSupport/TestFixtures.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures` beside the clone, or `$ENGRAM_SHARED_FIXTURES`; nil when absent.
    public static let shared: URL? = {
        let candidates = [
            ProcessInfo.processInfo.environment["ENGRAM_SHARED_FIXTURES"].map { URL(fileURLWithPath: $0) },
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    /// Whether the public vectors are present; tests that need them are disabled with a message otherwise.
    public static var sharedAvailable: Bool { shared != nil }
    public static let sharedMissingMessage =
        "public fixtures not found at ../shared/fixtures (set ENGRAM_SHARED_FIXTURES): conformance tests skipped"

    /// The project's own golden vectors.
    public static let project: URL = packageRoot.appendingPathComponent("Fixtures")

    /// A file under the shared fixtures.
    public static func sharedFile(_ path: String) throws -> [UInt8] {
        guard let shared else { throw FixtureError.missing(path) }
        return try bytes(of: shared.appendingPathComponent(path))
    }

    /// A file's bytes.
    public static func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A JSON file decoded with Foundation (test data only).
    public static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: [.fragmentsAllowed])
    }

    /// Entries of a directory, sorted.
    public static func list(_ url: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    public enum FixtureError: Error { case missing(String), malformed(String) }
}

/// Hex helpers for tests.
public func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
public func unhex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { fatalError("bad hex in test data: \(text)") }
    return bytes
}
