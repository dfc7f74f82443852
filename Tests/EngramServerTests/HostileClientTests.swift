import Engram
import EngramHTTPWire
import EngramIPLD
import EngramServer
import EngramSync
import Testing

/// Clients that try to hold the server: a body that never ends, a body that never stops.
struct HostileClientTests {
    /// A served repository and a push body for it that adds a commit of `nodes` nodes.
    static func setUp(nodes: UInt64) async throws -> (Repository, CID, [UInt8]) {
        let served = try ServerSupport.memoryRepository()
        let head = try ServerSupport.commit(served, ids: 0..<10, salt: 1)
        let local = try ServerSupport.memoryRepository()
        _ = try await local.cloneContents(from: RepositoryEndpoint(repository: served))
        let next = try ServerSupport.commit(local, ids: 0..<nodes, salt: 2)
        let body = try ServerSupport.pushBody(PushRequest(updates: [.init(ref: "refs/heads/main", expected: head, new: next)]),
                                              try await ServerSupport.closure(local, [next], haves: [head]))
        return (served, head, Array(body.readableBytesView))
    }

    static func head(_ fields: String) -> [UInt8] {
        Array(("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(ServerSupport.writeToken)\r\n" + fields + "\r\n").utf8)
    }

    @Test func aBodyThatNeverEndsIsCutByTheIdleTimeout() async throws {
        let (served, head, body) = try await Self.setUp(nodes: 50)
        let configuration = SyncServerConfiguration(writeToken: ServerSupport.writeToken, idleTimeoutSeconds: 1)
        let outcome = try await LoopbackTests.serving(RepositoryEndpoint(repository: served), configuration: configuration) { port in
            // Half the declared body, then silence.
            try await RawHTTPClient.exchange(port: port, send: Self.head("Content-Length: \(body.count)\r\n") + body.prefix(body.count / 2),
                                             waitSeconds: 20)
        }
        #expect(outcome.closedByServer, "the server kept the connection: \(outcome.text)")
        #expect(try served.branchHead("main") == head)
    }

    @Test func aBodyOverTheLimitIsRefusedBeforeItEnds() async throws {
        let (served, head, body) = try await Self.setUp(nodes: 300)
        try #require(body.count > 16384)
        let configuration = SyncServerConfiguration(writeToken: ServerSupport.writeToken, maxPushBodyBytes: 8192)
        // Chunked, 16 KiB sent and no last chunk: the answer must come without the body's end.
        let chunk = Array(String(16384, radix: 16).utf8) + [13, 10] + body.prefix(16384) + [13, 10]
        let outcome = try await LoopbackTests.serving(RepositoryEndpoint(repository: served), configuration: configuration) { port in
            try await RawHTTPClient.exchange(port: port, send: Self.head("Transfer-Encoding: chunked\r\n") + chunk, waitSeconds: 20)
        }
        #expect(outcome.text.hasPrefix("HTTP/1.1 413"), "\(outcome.text)")
        // And it stopped reading: the connection is closed, not drained.
        #expect(outcome.closedByServer)
        #expect(try served.branchHead("main") == head)
    }
}
