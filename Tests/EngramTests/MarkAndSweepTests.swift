import Engram
import EngramIPLD
import EngramStore
import Testing

/// Garbage collection over the storage seam (`MarkAndSweep`) on a memory repository, checked
/// against the reachable set computed independently from the surviving refs.
struct MarkAndSweepTests {
    static let info = CommitInfo(author: "gc", message: "m", time: 1)

    static func put(_ repo: Repository, _ n: UInt64, _ text: String) throws -> CID {
        var tx = try repo.transaction()
        tx.putNode(Node(id: RepositoryTests.id(n), label: "Note", props: ["text": .string(text)]))
        return try repo.commit(tx, info)
    }

    @Test func dropsWhatNoRefReachesAndKeepsEverythingElse() throws {
        let store = MemoryBlockStore()
        let repo = try Repository(store: store)
        let kept = try Self.put(repo, 1, "caf\u{E9}")
        try repo.createBranch("doomed", at: kept)
        try repo.checkout(branch: "doomed")
        let doomed = try Self.put(repo, 2, "nul\u{0}gone")
        try repo.checkout(branch: "main")
        let pinnedBlock = Block(bytes: Array("pinned \u{1F9E0}".utf8), codec: .raw)
        let loose = Block(bytes: Array("loose".utf8), codec: .raw)
        try store.put([pinnedBlock, loose])
        store.pin([pinnedBlock.cid])
        try repo.deleteBranch("doomed", force: true)

        // The reflog still names the deleted branch's commit within the retention window.
        let retained = try MarkAndSweep(store: store, refs: repo.refs).run()
        #expect(try store.has(doomed))
        #expect(try !store.has(loose.cid))
        #expect(retained.freed == 1)

        let report = try MarkAndSweep(store: store, refs: repo.refs, retentionMicroseconds: -1 << 40).run()
        let expected = try BlockLinks.closure(of: [kept, pinnedBlock.cid], in: store)
        var left = Set<CID>()
        try store.forEachCID { left.insert($0) }
        #expect(left == expected)
        #expect(try !store.has(doomed))
        #expect(report.reachable == expected.count)
        #expect(try repo.snapshot(kept).node(RepositoryTests.id(1))?.props["text"] == .string("caf\u{E9}"))
    }

    @Test func aDryRunDeletesNothing() throws {
        let store = MemoryBlockStore()
        let repo = try Repository(store: store)
        _ = try Self.put(repo, 1, "x")
        try store.put(Block(bytes: [1, 2, 3], codec: .raw))
        let before = store.count
        let report = try MarkAndSweep(store: store, refs: repo.refs).run(dryRun: true)
        #expect(report.freed == 1 && report.dryRun)
        #expect(store.count == before)
    }
}
