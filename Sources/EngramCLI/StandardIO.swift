#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EngramStore

/// Raw standard input and output, byte for byte (no text decoding on the way).
enum StandardIO {
    /// Every byte of standard input.
    static func readAll() throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot read standard input: \(ErrnoText.describe(errno))")
            }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to standard output.
    static func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write standard output: \(ErrnoText.describe(errno))")
            }
            offset += n
        }
    }

    /// A line on standard error (progress and summaries that must not mix with output).
    static func note(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// A failure reported to the user as one line on standard error, exiting `status`
/// (``ExitStatus/failure`` unless said otherwise).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let status: Int32
    init(_ description: String, status: Int32 = ExitStatus.failure) {
        self.description = description
        self.status = status
    }

    /// Something the command line names that is not there (a remote, a repository, a block):
    /// exit status ``ExitStatus/notFound``.
    static func notFound(_ description: String) -> CLIError { CLIError(description, status: ExitStatus.notFound) }
}
