import Engram
import EngramIPLD
import EngramStore
import EngramSync
import EngramTestSupport
import Testing

/// Random divergent histories on two file repositories, synced in process: whatever the
/// interleaving of commits, fetches, pulls and pushes, the two converge to the same commit,
/// with the same graph, and both stores pass fsck.
struct RandomHistoryTests {
    static func randomCommit(_ repo: Repository, _ rng: inout SplitMix64) throws {
        var tx = try repo.transaction()
        for _ in 0..<(1 + rng.next() % 6) {
            let n = rng.next() % 40
            let text = SyncSupport.texts[Int(rng.next() % UInt64(SyncSupport.texts.count))]
            if rng.next() % 5 == 0, try tx.node(SyncSupport.id(n)) != nil {
                try tx.removeNode(SyncSupport.id(n))
            } else {
                tx.putNode(Node(id: SyncSupport.id(n), label: rng.next() % 2 == 0 ? "Note" : "Fact",
                                props: ["text": .string(text), "n": .int(Int64(rng.next() % 100))]))
            }
        }
        _ = try repo.commit(tx, SyncSupport.info)
    }

    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16, 17, 18])
    func divergentHistoriesConverge(seed: UInt64) async throws {
        var rng = SplitMix64(seed: seed)
        let dir = TemporaryDirectory()
        let (a, _) = try SyncSupport.fileRepository(dir, "a")
        let (b, _) = try SyncSupport.fileRepository(dir, "b")
        try Self.randomCommit(a, &rng)
        let toA = RepositoryEndpoint(repository: a), toB = RepositoryEndpoint(repository: b)
        _ = try await b.cloneContents(from: toA)
        let merge = CommitInfo(author: "sync", message: "merge", time: 5)
        for _ in 0..<10 {
            switch rng.next() % 6 {
            case 0, 1: try Self.randomCommit(a, &rng)
            case 2, 3: try Self.randomCommit(b, &rng)
            case 4:
                _ = try await b.pull(from: toA, policy: .theirs, info: merge)
                _ = try await b.push(to: toA)
            default:
                _ = try await a.pull(from: toB, policy: .ours, info: merge)
            }
        }
        _ = try await b.pull(from: toA, policy: .theirs, info: merge)
        _ = try await b.push(to: toA)
        _ = try await a.pull(from: toB, info: merge)
        let head = try #require(try a.branchHead("main"))
        #expect(try b.branchHead("main") == head)
        #expect(try SyncSupport.nodes(a, head) == SyncSupport.nodes(b, head))
        #expect(try SyncSupport.closure(a, [head]) == SyncSupport.closure(b, [head]))
        #expect(try (a.store as! FileBlockStore).fsck().isClean)
        #expect(try (b.store as! FileBlockStore).fsck().isClean)
    }
}
