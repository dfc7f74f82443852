import Engram
import EngramIPLD
import EngramStore
import EngramSync
import Testing

/// A peer that lies: every refusal is a typed error, the refs stay where they were and no
/// block it sent becomes visible.
struct HostilePeerTests {
    /// A real origin's advertisement and blocks, to tamper with.
    static func origin() async throws -> (Repository, CID, [Block]) {
        let origin = try SyncSupport.memoryRepository()
        let head = try SyncSupport.commit(origin, ids: 0..<30, salt: 1)
        var blocks: [Block] = []
        for try await b in try await RepositoryEndpoint(repository: origin).fetch(FetchRequest(wants: [head])) {
            blocks.append(b)
        }
        return (origin, head, blocks)
    }

    static func expectUntouched(_ repo: Repository, _ blocks: [Block]) throws {
        #expect(try repo.refs.list(prefix: "refs/remotes/").isEmpty)
        for b in blocks { #expect(try !repo.store.has(b.cid)) }
    }

    static func advertisement(_ head: CID) -> RefAdvertisement {
        RefAdvertisement(head: "refs/heads/main", refs: [("refs/heads/main", head)])
    }

    @Test func anUnrequestedBlockIsRefused() async throws {
        let (_, head, blocks) = try await Self.origin()
        let stranger = Block(bytes: Array("not asked for \u{0}".utf8), codec: .raw)
        let peer = ScriptedEndpoint(advertisement: Self.advertisement(head), blocks: [blocks[0], stranger] + blocks.dropFirst())
        let repo = try SyncSupport.memoryRepository()
        await #expect(throws: SyncError.unrequestedBlock(stranger.cid)) { try await repo.fetch(from: peer) }
        try Self.expectUntouched(repo, blocks)
    }

    @Test func aTruncatedDigestIsRefused() async throws {
        // An empty sha2-256 digest "verifies" any bytes: a receiver must not take it.
        let weak = CID(codec: .dagCBOR, multihash: Multihash(code: .sha2_256, digest: Digest([])))
        let block = try Block(cid: weak, bytes: try DAGCBOR.encode(.map(["_kind": .string("commit")])))
        let peer = ScriptedEndpoint(advertisement: Self.advertisement(weak), blocks: [block])
        let repo = try SyncSupport.memoryRepository()
        await #expect(throws: SyncError.hashMismatch(weak)) { try await repo.fetch(from: peer) }
        try Self.expectUntouched(repo, [block])
    }

    @Test func aBlockOverTheLimitIsRefused() async throws {
        let (_, head, blocks) = try await Self.origin()
        let biggest = blocks.max { $0.bytes.count < $1.bytes.count }!
        let peer = ScriptedEndpoint(advertisement: Self.advertisement(head), blocks: blocks)
        let repo = try SyncSupport.memoryRepository()
        let limits = SyncLimits(maxBlockBytes: biggest.bytes.count - 1)
        await #expect(throws: SyncError.blockTooLarge(biggest.cid, size: biggest.bytes.count, limit: biggest.bytes.count - 1)) {
            try await repo.fetch(from: peer, limits: limits)
        }
        try Self.expectUntouched(repo, blocks)
    }

    @Test(arguments: [0, 1, 5, -1])
    func aTruncatedTransferIsIncomplete(keep: Int) async throws {
        let (_, head, blocks) = try await Self.origin()
        let sent = Array(blocks.prefix(keep < 0 ? blocks.count - 1 : keep))
        let peer = ScriptedEndpoint(advertisement: Self.advertisement(head), blocks: sent)
        let repo = try SyncSupport.memoryRepository()
        await #expect {
            try await repo.fetch(from: peer)
        } throws: { error in
            guard case SyncError.incomplete(let missing, _) = error else { return false }
            return missing > 0
        }
        try Self.expectUntouched(repo, blocks)
    }

    @Test func aRootThatIsNotACommitIsRefused() async throws {
        let raw = Block(bytes: Array("caf\u{E9}".utf8), codec: .raw)
        let peer = ScriptedEndpoint(advertisement: Self.advertisement(raw.cid), blocks: [raw])
        let repo = try SyncSupport.memoryRepository()
        await #expect { try await repo.fetch(from: peer) } throws: { error in
            // The commit decoder's own error is kept as the reason's cause.
            if case SyncError.notACommit(raw.cid, let reason) = error { reason.cause is GraphError } else { false }
        }
        try Self.expectUntouched(repo, [raw])
    }

    @Test func aPushWhoseBlocksDoNotCompleteTheCommitIsRefused() async throws {
        let (_, head, blocks) = try await Self.origin()
        let server = try SyncSupport.memoryRepository()
        let endpoint = RepositoryEndpoint(repository: server)
        let partial = BlockStream { c in
            for b in blocks.dropLast() { c.yield(b) }
            c.finish()
        }
        await #expect(throws: SyncError.self) {
            try await endpoint.push(PushRequest(updates: [.init(ref: "refs/heads/main", expected: nil, new: head)]), blocks: partial)
        }
        #expect(try server.branchHead("main") == nil)
        for b in blocks { #expect(try !server.store.has(b.cid)) }
    }

    @Test func malformedMessagesAreTypedErrors() throws {
        let cid = Block(bytes: [1, 2, 3], codec: .raw).cid
        let samples: [[UInt8]] = [
            [], [0xff], Array("{\"wants\":[]}".utf8),
            try DAGCBOR.encode(.map(["version": .int(2), "wants": .list([.link(cid)]), "haves": .list([])])),
            try DAGCBOR.encode(.map(["version": .int(1), "wants": .list([.string("x")]), "haves": .list([])])),
            try DAGCBOR.encode(.map(["version": .int(1), "wants": .list([]), "haves": .list([])])),
            try DAGCBOR.encode(.map(["version": .int(1), "updates": .list([.map(["ref": .string("HEAD"), "new": .link(cid), "expected": .null])])])),
            try DAGCBOR.encode(.map(["version": .int(1), "head": .null, "refs": .map(["refs/heads/a b": .link(cid)])])),
            try DAGCBOR.encode(.list([])),
        ]
        for bytes in samples {
            #expect(throws: SyncError.self) { try FetchRequest.decode(bytes) }
            #expect(throws: SyncError.self) { try PushRequest.decode(bytes) }
            #expect(throws: SyncError.self) { try RefAdvertisement.decode(bytes) }
            #expect(throws: SyncError.self) { try PushResult.decode(bytes) }
        }
    }

    @Test func messagesRoundTrip() throws {
        let a = Block(bytes: [1], codec: .raw).cid, b = Block(bytes: [2], codec: .raw).cid
        let fetch = FetchRequest(wants: [a], haves: [b], frontier: [a, b])
        #expect(try FetchRequest.decode(fetch.encode()) == fetch)
        let push = PushRequest(updates: [.init(ref: "refs/heads/caf\u{E9}".replacingOccurrences(of: "\u{E9}", with: "e"), expected: nil, new: a, force: true)])
        #expect(try PushRequest.decode(push.encode()) == push)
        let adv = RefAdvertisement(head: "refs/heads/main", refs: [("refs/heads/main", a), ("refs/heads/x", b)])
        #expect(try RefAdvertisement.decode(adv.encode()) == adv)
        let result = PushResult(applied: false, refs: [("refs/heads/main", nil)], received: 3)
        #expect(try PushResult.decode(result.encode()) == result)
        let error = SyncError.refMoved(ref: "refs/heads/main", expected: a, current: b)
        #expect(SyncError.decodeFromWire(error.encodeForWire()) == .remote(code: "refMoved", message: error.description))
    }
}

