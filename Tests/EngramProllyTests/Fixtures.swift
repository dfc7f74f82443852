import EngramIPLD

/// The project's `Fixtures/prolly` folder, found from this file's path.
enum ProllyFixtures {
    static var directory: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/EngramProllyTests/Fixtures.swift
        return parts.joined(separator: "/") + "/Fixtures/prolly"
    }

    static func load(_ name: String) throws -> IPLD {
        let path = directory + "/" + name
        guard let file = fopen(path, "rb") else { throw FixtureMissing(path: path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return try DAGJSON.decode(bytes)
    }

    struct FixtureMissing: Error { let path: String }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

