import Engram
import EngramCAR
import EngramHTTPWire
import EngramIPLD
import EngramServer
import EngramStore
import EngramSync
import Hummingbird
import HummingbirdTesting
import Testing

/// The HTTP binding (SPEC.md 9.6) route by route, in process: statuses, media types, bodies.
struct RouteTests {
    /// A served repository with one commit on main, and its blocks.
    struct Served {
        let repository: Repository
        let head: CID
        let server: SyncServer

        init(configuration: SyncServerConfiguration = .init(writeToken: ServerSupport.writeToken)) throws {
            repository = try ServerSupport.memoryRepository()
            head = try ServerSupport.commit(repository, ids: 0..<30, salt: 1)
            server = SyncServer(endpoint: RepositoryEndpoint(repository: repository), configuration: configuration)
        }

        /// A commit on main made in a clone, and the blocks a push of it sends here.
        func nextCommit(ids: Range<UInt64>, salt: Int64) async throws -> (CID, [Block]) {
            let local = try ServerSupport.memoryRepository()
            _ = try await local.cloneContents(from: RepositoryEndpoint(repository: repository))
            let next = try ServerSupport.commit(local, ids: ids, salt: salt)
            return (next, try await ServerSupport.closure(local, [next], haves: [head]))
        }
    }

    @Test func healthAnswersOk() async throws {
        try await Served().server.application().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
        }
    }

    @Test func refsAdvertisesTheBranches() async throws {
        let served = try Served()
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/refs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == SyncHTTP.refsContentType)
                let advertisement = try RefAdvertisement.decode(Array(response.body.readableBytesView))
                #expect(advertisement == RefAdvertisement(head: "refs/heads/main", refs: [("refs/heads/main", served.head)]))
            }
        }
    }

    @Test func fetchStreamsACAROfTheMissingBlocks() async throws {
        let served = try Served()
        let expected = try await ServerSupport.closure(served.repository, [served.head])
        let request = FetchRequest(wants: [served.head])
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/fetch", method: .post, body: ByteBuffer(bytes: request.encode())) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == SyncHTTP.carContentType)
                // Read back by the CAR reader, which verifies every block against its CID.
                var reader = try CARReader(bytes: Array(response.body.readableBytesView))
                #expect(reader.roots == [served.head])
                let blocks = try reader.readAll()
                #expect(blocks.map(\.cid) == expected.map(\.cid))
                #expect(blocks.count > 3)
            }
        }
    }

    @Test func fetchOfAnUnknownCommitIsAnErrorBody() async throws {
        let served = try Served()
        let unknown = CID(hashing: Array("not here".utf8), codec: .dagCBOR)
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/fetch", method: .post,
                                     body: ByteBuffer(bytes: FetchRequest(wants: [unknown]).encode())) { response in
                #expect(response.status.code >= 400)
                #expect(response.headers[.contentType] == SyncHTTP.errorContentType)
                #expect(SyncError.httpStatusOf(ServerSupport.error(response)) == Int(response.status.code))
            }
        }
    }

    @Test func pushMovesTheRefAndStaleExpectationIs412() async throws {
        let served = try Served()
        let (next, blocks) = try await served.nextCommit(ids: 10..<40, salt: 2)
        let update = PushRequest(updates: [.init(ref: "refs/heads/main", expected: served.head, new: next)])
        let stale = PushRequest(updates: [.init(ref: "refs/heads/main", expected: served.head, new: served.head)])
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: ServerSupport.bearer(ServerSupport.writeToken),
                                     body: try ServerSupport.pushBody(update, blocks)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == SyncHTTP.pushResultContentType)
                let result = try PushResult.decode(Array(response.body.readableBytesView))
                #expect(result.applied)
                #expect(result.refs.map(\.current) == [next])
            }
            #expect(try served.repository.branchHead("main") == next)
            // The same expectation again: main moved since, so compare-and-swap refuses.
            try await client.execute(uri: "/v1/push", method: .post, headers: ServerSupport.bearer(ServerSupport.writeToken),
                                     body: try ServerSupport.pushBody(stale, [])) { response in
                #expect(response.status == .preconditionFailed)
                let result = try PushResult.decode(Array(response.body.readableBytesView))
                #expect(!result.applied)
                #expect(result.refs.map(\.current) == [next])
            }
        }
        #expect(try served.repository.branchHead("main") == next)
    }

    @Test func tokensGuardPushesAndOptionallyReads() async throws {
        let served = try Served(configuration: .init(writeToken: ServerSupport.writeToken, readToken: ServerSupport.readToken))
        let body = try ServerSupport.pushBody(PushRequest(updates: [.init(ref: "refs/heads/main", expected: nil, new: CID(hashing: [0xA0], codec: .dagCBOR))]), [])
        try await served.server.application().test(.router) { client in
            for headers in [HTTPFields(), ServerSupport.bearer("wrong"), ServerSupport.bearer(ServerSupport.readToken),
                            [.authorization: "Basic \(ServerSupport.writeToken)"],
                            ServerSupport.bearer(ServerSupport.writeToken + "x"), ServerSupport.bearer(String(ServerSupport.writeToken.dropLast()))] {
                try await client.execute(uri: "/v1/push", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    guard case .unauthorized = ServerSupport.error(response) else {
                        Issue.record("expected unauthorized, got \(ServerSupport.error(response))")
                        return
                    }
                }
            }
            for (headers, status) in [(HTTPFields(), HTTPResponse.Status.unauthorized), (ServerSupport.bearer("nope"), .unauthorized),
                                      (ServerSupport.bearer(ServerSupport.readToken), .ok),
                                      (ServerSupport.bearer(ServerSupport.writeToken), .ok)] {
                try await client.execute(uri: "/v1/refs", method: .get, headers: headers) { response in
                    #expect(response.status == status)
                }
            }
        }
        #expect(try served.repository.branchHead("main") == served.head)
    }

    @Test func aServerWithoutWriteTokenRefusesPushesUnlessOpened() async throws {
        let closed = try Served(configuration: .init())
        let open = try Served(configuration: .init(allowsUnauthenticatedPush: true))
        let body = try ServerSupport.pushBody(PushRequest(updates: [.init(ref: "refs/heads/side", expected: nil, new: closed.head)]), [])
        try await closed.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, body: body) { #expect($0.status == .unauthorized) }
        }
        #expect(try closed.repository.refs.get("refs/heads/side") == nil)
        let openBody = try ServerSupport.pushBody(PushRequest(updates: [.init(ref: "refs/heads/side", expected: nil, new: open.head)]), [])
        try await open.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, body: openBody) { #expect($0.status == .ok) }
        }
        #expect(try open.repository.refs.get("refs/heads/side")?.cid == open.head)
    }

    @Test(arguments: [
        [UInt8](),  // no length
        [0x80],  // a length cut short
        [0x80, 0x00],  // a non-minimal length
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // a length over 9 bytes
        [0x85, 0x80, 0x80, 0x04],  // a length over the message limit
        [0x05, 0xA1, 0x61],  // a request cut short
        [0x03, 0xA1, 0x61, 0x61],  // a request that is not DAG-CBOR
        [0x01, 0xA0],  // an empty map: no version
    ])
    func malformedPushBodiesAre400(_ body: [UInt8]) async throws {
        let served = try Served()
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: ServerSupport.bearer(ServerSupport.writeToken),
                                     body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .badRequest)
                guard case .remote(let code, _) = ServerSupport.error(response) else {
                    Issue.record("expected a remote error, got \(ServerSupport.error(response))")
                    return
                }
                #expect(code == "malformedMessage")
            }
        }
        #expect(try served.repository.branchHead("main") == served.head)
    }

    @Test func malformedFetchRequestsAre400() async throws {
        let served = try Served()
        try await served.server.application().test(.router) { client in
            for body in [[], [0xA0], Array("{\"wants\":[]}".utf8), FetchRequest(wants: [served.head]).encode().dropLast()] as [[UInt8]] {
                try await client.execute(uri: "/v1/fetch", method: .post, body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(ServerSupport.error(response).code == "malformedMessage")
                }
            }
        }
    }

    /// A push the server cannot complete leaves the ref where it was, whatever was wrong.
    @Test func hostilePushesLeaveTheRefUnmoved() async throws {
        let served = try Served()
        let (next, blocks) = try await served.nextCommit(ids: 25..<60, salt: 3)
        let request = PushRequest(updates: [.init(ref: "refs/heads/main", expected: served.head, new: next)])
        let whole = Array(try ServerSupport.pushBody(request, blocks).readableBytesView)
        var flipped = blocks
        flipped[1] = Block(unchecked: flipped[1].cid, bytes: flipped[1].bytes.map { $0 ^ 0x01 })
        let otherRoots = SyncHTTP.pushPrefix(request) + (try CARWriter.archive(roots: [served.head], blocks: blocks))
        let cases: [(String, [UInt8], Int, String)] = [
            ("truncated CAR", Array(whole.dropLast(7)), 400, "archive"),
            ("CAR cut inside its header", Array(whole.prefix(SyncHTTP.pushPrefix(request).count + 5)), 400, "archive"),
            ("bytes that do not hash to their CID", Array(try ServerSupport.pushBody(request, flipped).readableBytesView), 422, "hashMismatch"),
            ("missing blocks", Array(try ServerSupport.pushBody(request, Array(blocks.prefix(2))).readableBytesView), 422, "incomplete"),
            ("roots that are not the targets", otherRoots, 400, "archive"),
        ]
        try await served.server.application().test(.router) { client in
            for (name, body, status, code) in cases {
                try await client.execute(uri: "/v1/push", method: .post, headers: ServerSupport.bearer(ServerSupport.writeToken),
                                         body: ByteBuffer(bytes: body)) { response in
                    #expect(Int(response.status.code) == status, "\(name)")
                    #expect(ServerSupport.error(response).code == code, "\(name): \(ServerSupport.error(response))")
                }
                #expect(try served.repository.branchHead("main") == served.head, "\(name)")
            }
        }
    }

    @Test func anOversizedPushBodyIs413() async throws {
        let served = try Served(configuration: .init(writeToken: ServerSupport.writeToken, maxPushBodyBytes: 2048))
        let (next, blocks) = try await served.nextCommit(ids: 0..<200, salt: 4)
        let body = try ServerSupport.pushBody(PushRequest(updates: [.init(ref: "refs/heads/main", expected: served.head, new: next)]), blocks)
        #expect(body.readableBytes > 4096)
        try await served.server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: ServerSupport.bearer(ServerSupport.writeToken),
                                     body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(ServerSupport.error(response).code == "malformedMessage")
            }
        }
        #expect(try served.repository.branchHead("main") == served.head)
    }

    @Test func pushBlocksReachTheEndpointInOrder() async throws {
        let source = try ServerSupport.memoryRepository()
        let head = try ServerSupport.commit(source, ids: 0..<50, salt: 5)
        let blocks = try await ServerSupport.closure(source, [head])
        let endpoint = ScriptedEndpoint(blocks: [])
        let server = SyncServer(endpoint: endpoint, configuration: .init(allowsUnauthenticatedPush: true))
        let request = PushRequest(updates: [.init(ref: "refs/heads/agent-7", expected: nil, new: head, force: true)])
        try await server.application().test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, body: try ServerSupport.pushBody(request, blocks)) {
                #expect($0.status == .ok, "\(ServerSupport.error($0))")
            }
        }
        #expect(endpoint.pushed.count == 1)
        #expect(endpoint.pushed.first?.0 == request)
        #expect(endpoint.pushed.first?.1.map(\.cid) == blocks.map(\.cid))
        #expect(endpoint.pushed.first.map { $0.1 == blocks } == true)
    }

    @Test func severalRepositoriesUnderARoot() async throws {
        let dir = ScratchDirectory()
        let a = try dir.repository("alpha")
        let aHead = try ServerSupport.commit(a, ids: 0..<5, salt: 1)
        let b = try dir.repository("b\u{E9}ta")
        let bHead = try ServerSupport.commit(b, ids: 0..<5, salt: 2)
        try (a.store as? FileBlockStore)?.close()
        try (b.store as? FileBlockStore)?.close()
        let server = SyncServer(root: dir.path)
        try await server.application().test(.router) { client in
            for (uri, head) in [("/alpha/v1/refs", aHead), ("/b%C3%A9ta/v1/refs", bHead)] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let advertisement = try RefAdvertisement.decode(Array(response.body.readableBytesView))
                    #expect(advertisement.target(of: "refs/heads/main") == head)
                }
            }
            for uri in ["/v1/refs", "/gamma/v1/refs", "/..%2Falpha/v1/refs", "/.engram/v1/refs"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
        }
    }
}

extension SyncError {
    /// The status a server sends for an error it rebuilt from the wire (by its code).
    static func httpStatusOf(_ error: SyncError) -> Int {
        switch error.code {
        case "malformedMessage", "archive": 400
        case "unauthorized": 401
        case "notFound": 404
        case "notFastForward": 409
        case "refMoved": 412
        case "unrequestedBlock", "hashMismatch", "blockTooLarge", "incomplete", "notACommit": 422
        default: 500
        }
    }
}
