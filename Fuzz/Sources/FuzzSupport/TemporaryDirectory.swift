import Foundation

/// A fresh directory for a harness's files, in memory (`/dev/shm`) when the system has it so
/// that per-input file writes stay cheap.
public func makeTemporaryDirectory(_ name: String) -> String {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = base + "/engram-\(name)-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

public func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

public func readFile(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}
