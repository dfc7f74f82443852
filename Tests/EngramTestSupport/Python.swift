import Foundation

/// Whether `python3` is on the PATH (or in the usual places): the tests that check Engram
/// against independent Python implementations skip with a message without it.
public let python3Present = (["/usr/bin", "/usr/local/bin", "/bin"]
    + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init))
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
