import Benchmark
import Engram
import EngramMCP
import Foundation

enum FixtureError: Error {
    case unexpectedReply(String)
    case serverGone
}

/// An `engram mcp` server in this process on a fresh repository, spoken to over two pipes with
/// newline-delimited JSON-RPC (as a stdio client does), through Engram's ``LineTransport``.
final class MCPFixture: @unchecked Sendable {
    let toServer: FileHandle
    let fromServer: FileHandle
    /// The pipes, kept alive: the server reads and writes their other ends by descriptor, which
    /// a released `Pipe` would close.
    let pipes: (requests: Pipe, responses: Pipe)
    var buffer = [UInt8]()
    var nextID = 0
    var node = ""

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-mcp-bench-\(UUID().uuidString)").path
        _ = try Repository.create(at: dir)
        let requests = Pipe(), responses = Pipe()
        pipes = (requests, responses)
        toServer = requests.fileHandleForWriting
        fromServer = responses.fileHandleForReading
        let options = MCPServerOptions(storeDirectory: dir + "/.engram", durability: .none)
        let server = try EngramMCPServer(options: options)
        let transport = LineTransport(input: requests.fileHandleForReading.fileDescriptor,
                                      output: responses.fileHandleForWriting.fileDescriptor)
        Task { try await server.run(transport: transport) }
        _ = try request("initialize", #"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}"#)
        toServer.write(Data(Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8) + [10]))
        let reply = try tool("engram_remember", #"{"nodes":[{"label":"N","props":{"i":0}}]}"#)
        // The node id is the first UUID after "id" in the reply.
        guard let range = reply.range(of: #"\"id\":\""#) else { throw FixtureError.unexpectedReply(reply) }
        node = String(reply[range.upperBound...].prefix(36))
    }

    /// Sends one request and reads lines until its reply.
    func request(_ method: String, _ params: String) throws -> String {
        nextID += 1
        toServer.write(Data(Array(#"{"jsonrpc":"2.0","id":\#(nextID),"method":"\#(method)","params":\#(params)}"#.utf8) + [10]))
        while true {
            let line = try readLine()
            if line.contains(#""id":\#(nextID)"#) || line.contains(#""id" : \#(nextID)"#) { return line }
        }
    }

    func tool(_ name: String, _ arguments: String) throws -> String {
        try request("tools/call", #"{"name":"\#(name)","arguments":\#(arguments)}"#)
    }

    /// Reads one line; each byte is scanned for the newline once (a rescan from the start after
    /// every read would make the client, not the server, quadratic in the message size).
    func readLine() throws -> String {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            scanned = buffer.count
            let chunk = fromServer.availableData
            guard !chunk.isEmpty else { throw FixtureError.serverGone }
            buffer += chunk
        }
    }

    func tenNodes(_ i: Int) -> String {
        "{\"nodes\":[" + (0..<10).map { "{\"label\":\"N\",\"props\":{\"i\":\(i * 10 + $0),\"text\":\"a remembered fact\"}}" }
            .joined(separator: ",") + "]}"
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
        warmupIterations: 5,
        maxDuration: .seconds(10),
        maxIterations: 1000
    )

    Benchmark("MCP round trip: engram_get of one node") { benchmark in
        let fixture = try MCPFixture()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try fixture.tool("engram_get", "{\"ids\":[\"\(fixture.node)\"]}"))
        }
    }

    Benchmark("MCP over HTTP round trip: engram_get of one node") { benchmark in
        let fixture = try MCPHTTPFixture()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try fixture.tool("engram_get", "{\"ids\":[\"\(fixture.node)\"]}"))
        }
    }

    Benchmark("MCP round trip: engram_remember of 10 nodes (one commit)") { benchmark in
        let fixture = try MCPFixture()
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            i += 1
            blackHole(try fixture.tool("engram_remember", fixture.tenNodes(i)))
        }
    }

    for megabytes in [1, 4] {
        Benchmark("MCP result of \(megabytes) MB (engram_get)", configuration: .init(maxIterations: 20)) { benchmark in
            let fixture = try MCPFixture()
            let body = String(repeating: "x", count: megabytes << 20)
            let reply = try fixture.tool("engram_remember", "{\"nodes\":[{\"label\":\"Big\",\"props\":{\"body\":\"\(body)\"}}]}")
            guard let range = reply.range(of: #"\"id\":\""#) else { return }
            let id = String(reply[range.upperBound...].prefix(36))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try fixture.tool("engram_get", "{\"ids\":[\"\(id)\"],\"max_value_bytes\":16777216}"))
            }
        }
    }
}
