import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hostile client: writes raw bytes to a loopback port and reads what comes back, on its own
/// thread (its reads block), for requests no HTTP library would send.
enum RawHTTPClient {
    struct Outcome: Sendable {
        /// Everything the server sent.
        var received: [UInt8]
        /// The server closed the connection (rather than the wait running out).
        var closedByServer: Bool
        var text: String { String(decoding: received, as: UTF8.self) }
    }

    /// Sends `bytes`, then reads until the server closes, `stopWhen` holds for what arrived,
    /// or `waitSeconds` pass without data.
    static func exchange(port: Int, send bytes: [UInt8], waitSeconds: Int,
                         stopWhen: @escaping @Sendable ([UInt8]) -> Bool = { _ in false }) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try run(port: port, bytes: bytes, waitSeconds: waitSeconds, stopWhen: stopWhen) })
            }
            thread.start()
        }
    }

    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    private static func run(port: Int, bytes: [UInt8], waitSeconds: Int, stopWhen: ([UInt8]) -> Bool) throws -> Outcome {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: waitSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketError(description: "connect: errno \(errno)") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw SocketError(description: "send: errno \(errno)") }
            offset += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                if stopWhen(received) { return Outcome(received: received, closedByServer: false) }
            } else if n == 0 || errno == ECONNRESET {
                return Outcome(received: received, closedByServer: true)
            } else {
                // EAGAIN: the wait ran out with the connection still open.
                return Outcome(received: received, closedByServer: false)
            }
        }
    }
}
