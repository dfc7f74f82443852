#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the built `engram` executable for end-to-end tests.
public struct CLIResult: Sendable {
    public let status: Int32
    public let stdout: [UInt8]
    public let stderr: String
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

public enum CLIRunner {
    /// The `engram` binary beside the test bundle (.build/<config>/engram).
    public static let executable: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("engram")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return TestFixtures.packageRoot.appendingPathComponent(".build/debug/engram")
    }()

    /// A process of the `engram` executable (or another `program`) with `args`, not started;
    /// `ENGRAM_REPO` is unset unless `environment` sets it.
    static func process(_ args: [String], directory: URL?, environment: [String: String], program: URL = executable) -> Process {
        let process = Process()
        process.executableURL = program
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["ENGRAM_REPO"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        return process
    }

    /// Runs `engram args...` (or another `program`) with `stdin`, in `directory`, with extra
    /// environment variables.
    public static func run(
        _ args: [String], stdin: [UInt8] = [], directory: URL? = nil, environment: [String: String] = [:],
        program: URL = executable
    ) throws -> CLIResult {
        let process = process(args, directory: directory, environment: environment, program: program)
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Drain the pipes while writing, so that large outputs cannot deadlock the child.
        nonisolated(unsafe) var out = Data(), err = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = error.fileHandleForReading.readDataToEndOfFile() }
        try input.fileHandleForWriting.write(contentsOf: Data(stdin))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return CLIResult(status: process.terminationStatus, stdout: [UInt8](out), stderr: String(decoding: err, as: UTF8.self))
    }

    public static func run(_ args: [String], stdin: String, directory: URL? = nil) throws -> CLIResult {
        try run(args, stdin: Array(stdin.utf8), directory: directory)
    }
}

/// A running `engram` process that a crash test kills at a moment of its choosing. Its output
/// is small (a CID), so the pipes are read once it has ended.
public final class CLIChild {
    let process: Process
    let output = Pipe(), error = Pipe()

    /// Starts `engram args...` with standard input empty.
    public init(_ args: [String], environment: [String: String] = [:]) throws {
        process = CLIRunner.process(args, directory: nil, environment: environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
    }

    /// Sends SIGKILL unless the child has already ended.
    public func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the end: what the child wrote before it ended, and whether SIGKILL ended it.
    public func finish() -> (result: CLIResult, killed: Bool) {
        process.waitUntilExit()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return (CLIResult(status: process.terminationStatus, stdout: [UInt8](out), stderr: String(decoding: err, as: UTF8.self)), killed)
    }
}
