#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import MCP

/// Newline-delimited JSON-RPC over two file descriptors (stdin and stdout by default),
/// conforming to the SDK's ``Transport``.
///
/// The SDK's `StdioTransport` polls a non-blocking descriptor and sleeps 10 ms whenever no
/// input is ready (every request waits for that sleep), and looks for the newline from the start
/// of its buffer after every 4 KiB read (quadratic in a message's size): see Benchmarks/README.md.
/// Here a thread blocks in `read` (no polling), scans only the bytes it just read for newlines,
/// and hands each complete line on, so receiving is linear in the bytes received. Writes block
/// until the whole message (and its newline) is written.
public actor LineTransport: Transport {
    public nonisolated let logger: Logger
    let input: Int32
    let output: Int32
    let stream: AsyncThrowingStream<Data, Swift.Error>
    let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    var connected = false

    /// A transport reading `input` and writing `output`.
    public init(input: Int32 = 0, output: Int32 = 1, logger: Logger? = nil) {
        self.input = input
        self.output = output
        self.logger = logger ?? Logger(label: "engram.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    public func connect() async throws {
        guard !connected else { return }
        connected = true
        let reader = LineReader(fd: input, continuation: continuation, logger: logger)
        let thread = Thread { reader.run() }
        thread.name = "engram-mcp-stdin"
        thread.start()
    }

    public func disconnect() async {
        guard connected else { return }
        connected = false
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        guard connected else { throw MCPError.connectionClosed }
        var message = data
        message.append(UInt8(ascii: "\n"))
        try message.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return }
                let n = write(output, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                }
                offset += n
            }
        }
    }

    public nonisolated func receive() -> AsyncThrowingStream<Data, Swift.Error> { stream }
}

/// The blocking read loop: splits the input at newlines, scanning each byte once.
struct LineReader: @unchecked Sendable {
    /// A line longer than this is dropped (with a log line) rather than buffered without end.
    static let maxLineBytes = 256 << 20
    let fd: Int32
    let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    let logger: Logger

    func run() {
        var pending = [UInt8]()
        var dropping = false
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {  // a non-blocking descriptor handed to us: wait for input
                    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&p, 1, -1)
                    continue
                }
                logger.error("stdin read failed", metadata: ["errno": "\(errno)"])
                break
            }
            if n == 0 { break }
            var start = 0
            for i in 0..<n where chunk[i] == UInt8(ascii: "\n") {
                if !dropping {
                    pending.append(contentsOf: chunk[start..<i])
                    if !pending.isEmpty { continuation.yield(Data(pending)) }
                }
                start = i + 1
                pending.removeAll(keepingCapacity: pending.count <= 1 << 20)
                dropping = false
            }
            if !dropping { pending.append(contentsOf: chunk[start..<n]) }
            if pending.count > Self.maxLineBytes {
                logger.error("dropping a message longer than \(Self.maxLineBytes) bytes")
                pending.removeAll(keepingCapacity: false)
                dropping = true
            }
        }
        if !pending.isEmpty && !dropping { continuation.yield(Data(pending)) }
        continuation.finish()
    }
}
