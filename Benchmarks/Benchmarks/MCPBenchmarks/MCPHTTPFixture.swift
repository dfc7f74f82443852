import Engram
import EngramMCPHTTP
import EngramServer
import EngramSync
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `engram serve` with its `/mcp` route in this process on a fresh repository, spoken to with
/// Foundation's HTTP client as a Streamable HTTP client does: one session, each call one POST
/// whose reply arrives as a server-sent event.
final class MCPHTTPFixture: @unchecked Sendable {
    let url: URL
    let token = "bench-token"
    let session = URLSession(configuration: .ephemeral)
    var sessionID = ""
    var nextID = 0
    var node = ""

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-mcp-http-bench-\(UUID().uuidString)").path
        let repository = try Repository.create(at: dir)
        let port = try Self.freePort()
        url = URL(string: "http://127.0.0.1:\(port)/mcp")!
        let server = SyncServer(endpoint: RepositoryEndpoint(repository: repository),
                                configuration: .init(host: "127.0.0.1", port: port, writeToken: token),
                                extensions: [MCPHTTPExtension()])
        Task { try await server.run() }
        try waitUntilListening()
        _ = try request("initialize", #"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}"#)
        _ = try post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        let reply = try tool("engram_remember", #"{"nodes":[{"label":"N","props":{"i":0}}]}"#)
        guard let range = reply.range(of: #"\"id\":\""#) else { throw FixtureError.unexpectedReply(reply) }
        node = String(reply[range.upperBound...].prefix(36))
    }

    func tool(_ name: String, _ arguments: String) throws -> String {
        try request("tools/call", #"{"name":"\#(name)","arguments":\#(arguments)}"#)
    }

    /// One JSON-RPC request; its reply (the `data:` of the event that carries it).
    func request(_ method: String, _ params: String) throws -> String {
        nextID += 1
        let body = try post(#"{"jsonrpc":"2.0","id":\#(nextID),"method":"\#(method)","params":\#(params)}"#)
        for line in body.split(separator: "\n") where line.hasPrefix("data: {") { return String(line.dropFirst(6)) }
        throw FixtureError.unexpectedReply(String(body.prefix(500)))
    }

    func post(_ json: String) throws -> String {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        if !sessionID.isEmpty { request.setValue(sessionID, forHTTPHeaderField: "Mcp-Session-Id") }
        let reply = Reply()
        session.dataTask(with: request) { data, response, error in
            reply.data = data
            reply.response = response as? HTTPURLResponse
            reply.error = error
            reply.done.signal()
        }.resume()
        reply.done.wait()
        if let error = reply.error { throw error }
        guard let response = reply.response, (200..<300).contains(response.statusCode) else {
            throw FixtureError.unexpectedReply("HTTP \(reply.response?.statusCode ?? 0): \(String(decoding: reply.data ?? Data(), as: UTF8.self))")
        }
        if let id = response.value(forHTTPHeaderField: "Mcp-Session-Id") { sessionID = id }
        return String(decoding: reply.data ?? Data(), as: UTF8.self)
    }

    final class Reply: @unchecked Sendable {
        var data: Data?
        var response: HTTPURLResponse?
        var error: (any Error)?
        let done = DispatchSemaphore(value: 0)
    }

    /// A port the kernel just handed out (and took back): free unless another process takes it first.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError.serverGone }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError.serverGone }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func waitUntilListening() throws {
        var health = url.deletingLastPathComponent()
        health.appendPathComponent("health")
        for _ in 0..<500 {
            let reply = Reply()
            session.dataTask(with: health) { _, response, _ in
                reply.response = response as? HTTPURLResponse
                reply.done.signal()
            }.resume()
            reply.done.wait()
            if reply.response?.statusCode == 200 { return }
            usleep(20_000)
        }
        throw FixtureError.serverGone
    }
}
