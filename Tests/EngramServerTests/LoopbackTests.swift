import Engram
import EngramHTTPRemote
import EngramHTTPWire
import EngramIPLD
import EngramServer
import EngramStore
import EngramSync
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Two repositories syncing through `HTTPRemoteEndpoint` and a server on a loopback port.
struct LoopbackTests {
    /// Runs `body` with a server for `endpoint` listening on a free loopback port.
    static func serving<T: Sendable>(_ endpoint: any SyncEndpoint, configuration: SyncServerConfiguration = .init(writeToken: ServerSupport.writeToken),
                                     _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await SyncServer(endpoint: endpoint, configuration: configuration).application().test(.live) { client in
            guard let port = client.port else { throw SyncError.transport("the test server has no port") }
            return try await body(port)
        }
    }

    @Test func cloneFetchPullAndPushOverHTTP() async throws {
        let dir = ScratchDirectory()
        let origin = try dir.repository("origin")
        try ServerSupport.commit(origin, ids: 0..<60, salt: 1)
        let first = try ServerSupport.commit(origin, ids: 30..<90, salt: 2)
        try origin.createBranch("side", at: first)
        let copy = try dir.repository("copy")
        try await Self.serving(RepositoryEndpoint(repository: origin)) { port in
            let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:\(port)/", token: ServerSupport.writeToken)
            let cloned = try await copy.cloneContents(from: remote)
            #expect(cloned.stats.roundTrips == 2)
            #expect(try copy.branchHead("main") == first)
            #expect(try copy.refs.get("refs/remotes/origin/side")?.cid == first)
            #expect(try ServerSupport.nodes(copy, first) == ServerSupport.nodes(origin, first))

            // Divergent histories: the copy's push is refused until it pulls (a merge).
            let theirs = try ServerSupport.commit(origin, ids: 0..<10, salt: 3)
            try ServerSupport.commit(copy, ids: 80..<120, salt: 4)
            await #expect(throws: SyncError.self) { try await copy.push(to: remote) }
            #expect(try origin.branchHead("main") == theirs)
            let pulled = try await copy.pull(from: remote, info: ServerSupport.info)
            guard case .merged(let merged, _)? = pulled.merge else {
                Issue.record("expected a merge, got \(String(describing: pulled.merge))")
                return
            }
            let pushed = try await copy.push(to: remote)
            #expect(pushed.updated.map(\.new) == [merged.description])
            #expect(pushed.stats.blocksSent > 0)
            #expect(try origin.branchHead("main") == merged)
            #expect(try ServerSupport.nodes(origin, merged) == ServerSupport.nodes(copy, merged))

            // Nothing new: a fetch moves nothing and receives nothing.
            let again = try await copy.fetch(from: remote)
            #expect(again.stats.blocksReceived == 0)
        }
        #expect(try (origin.store as? FileBlockStore)?.fsck().isClean == true)
        #expect(try (copy.store as? FileBlockStore)?.fsck().isClean == true)
    }

    @Test func refusalsComeBackAsTheServersErrors() async throws {
        let origin = try ServerSupport.memoryRepository()
        let head = try ServerSupport.commit(origin, ids: 0..<20, salt: 1)
        let copy = try ServerSupport.memoryRepository()
        _ = try await copy.cloneContents(from: RepositoryEndpoint(repository: origin))
        try ServerSupport.commit(copy, ids: 0..<30, salt: 2)
        try await Self.serving(RepositoryEndpoint(repository: origin)) { port in
            for token in [nil, "wrong", ServerSupport.readToken] as [String?] {
                let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:\(port)", token: token)
                do {
                    _ = try await copy.push(to: remote)
                    Issue.record("a push with token \(String(describing: token)) was accepted")
                } catch {
                    guard case .unauthorized(let message)? = error as? SyncError else { Issue.record("expected unauthorized, got \(error)"); continue }
                    #expect(message.contains(token == nil ? "a push needs the write token" : "the token does not allow pushes"))
                }
            }
            let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:\(port)/elsewhere", token: nil)
            await #expect(throws: SyncError.self) { try await remote.advertise() }
        }
        #expect(try origin.branchHead("main") == head)
    }

    @Test func aFetchCutByTheServerFailsAndTheServerServesOn() async throws {
        let source = try ServerSupport.memoryRepository()
        let head = try ServerSupport.commit(source, ids: 0..<400, salt: 1)
        let blocks = try await ServerSupport.closure(source, [head])
        try #require(blocks.count > 20)
        let cut = ScriptedEndpoint(blocks: blocks, blocksBeforeFailure: blocks.count / 2)
        try await Self.serving(cut) { port in
            let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:\(port)")
            var received: [Block] = []
            do {
                for try await block in try await remote.fetch(FetchRequest(wants: [head])) { received.append(block) }
                Issue.record("the cut stream ended cleanly after \(received.count) blocks")
            } catch {
                #expect(error is SyncError)
            }
            #expect(received.count < blocks.count)
            #expect(received == Array(blocks.prefix(received.count)))
            // The connection died, not the server.
            #expect(try await remote.advertise().target(of: "refs/heads/main") == blocks.first?.cid)
        }
    }

    @Test func connectionFailuresAreTransportErrors() async throws {
        // The client retries a refused connection until the request's deadline.
        let remote = try HTTPRemoteEndpoint(url: "http://127.0.0.1:1", requestTimeout: .seconds(1))
        do {
            _ = try await remote.advertise()
            Issue.record("a closed port answered")
        } catch {
            guard case .transport(let reason) = error else { Issue.record("expected transport, got \(error)"); return }
            #expect(reason.description.contains("127.0.0.1:1"))
        }
        #expect(throws: SyncError.self) { try HTTPRemoteEndpoint(url: "ftp://example.com/repo") }
        #expect(throws: SyncError.self) { try HTTPRemoteEndpoint(url: "/a/directory") }
        #expect(isHTTPURL("HTTP://host:7420/r"))
        #expect(!isHTTPURL("/srv/repo"))
    }
}
