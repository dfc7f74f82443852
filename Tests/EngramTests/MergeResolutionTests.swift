import Engram
import EngramIPLD
import EngramStore
import Testing

/// Per-field settlements of merge conflicts (`merge --resolve`, SPEC.md 7.6).
struct MergeResolutionTests {
    static let info = CommitInfo(author: "m", message: "merge", time: 9)
    static let note = RepositoryTests.id(1)
    static let edge = RepositoryTests.id(2)
    static let other = RepositoryTests.id(3)

    /// main and side both change `importance` and `text` (NFC on one side, NFD on the other)
    /// of one node, and side also changes `mood`, which main leaves alone.
    static func forked() throws -> (Repository, side: CID) {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "Note", props: ["importance": 1, "text": "cafe", "mood": "calm"], id: note)
        tx.addNode(label: "Note", id: other)
        tx.addEdge(from: note, "ABOUT", to: other, props: ["w": 1], id: edge)
        let base = try repo.commit(tx, RepositoryTests.info("base", time: 1))
        try repo.createBranch("side", at: base)
        var theirs = try repo.transaction(on: "side")
        try theirs.updateNode(note, props: .patch(["importance": 0.8, "text": "caf\u{65}\u{301}", "mood": "bright"]))
        try theirs.updateEdge(edge, props: .patch(["w": 3]))
        let side = try repo.commit(theirs, RepositoryTests.info("side", time: 2))
        var ours = try repo.transaction()
        try ours.updateNode(note, props: .patch(["importance": 2, "text": "caf\u{E9}"]))
        try ours.updateEdge(edge, props: .patch(["w": 2]))
        _ = try repo.commit(ours, RepositoryTests.info("main", time: 3))
        return (repo, side)
    }

    @Test func eachFieldIsSettledAsNamedAndTheRestMerges() throws {
        let (repo, side) = try Self.forked()
        var r = MergeResolutions()
        try r.resolve(.node(Self.note), .prop("importance"), .theirs)
        try r.resolve(.node(Self.note), .prop("text"), .value("caf\u{E9}!"))
        try r.resolve(.edge(Self.edge), .prop("w"), .ours)
        let outcome = try repo.merge(side, resolutions: r, Self.info)
        guard case .merged(let cid, let resolved) = outcome else { Issue.record("not a merge: \(outcome)"); return }
        #expect(resolved.count == 3)
        let s = try repo.snapshot(cid)
        #expect(try s.node(Self.note)?.props == ["importance": 0.8, "text": "caf\u{E9}!", "mood": "bright"])
        #expect(try s.edge(Self.edge)?.props == ["w": 2])
        #expect(try repo.commit(cid).parents.count == 2)
    }

    /// A conflict no settlement names still fails under `fail`, listing only it; nothing moves.
    @Test func unsettledConflictsStillFail() throws {
        let (repo, side) = try Self.forked()
        let head = try repo.head()
        var r = MergeResolutions()
        try r.resolve(.node(Self.note), .prop("importance"), .theirs)
        try r.resolve(.node(Self.note), .prop("text"), .ours)
        do {
            _ = try repo.merge(side, resolutions: r, Self.info)
            Issue.record("merged with an unsettled conflict")
        } catch {
            guard case .mergeConflict(let conflicts) = error else { Issue.record("\(error)"); return }
            #expect(conflicts.map(\.entity) == [.edge(Self.edge)])
        }
        #expect(try repo.head() == head)
        // The policy settles what the resolutions leave.
        guard case .merged(let cid, _) = try repo.merge(side, policy: .theirs, resolutions: r, Self.info) else { return }
        #expect(try repo.snapshot(cid).edge(Self.edge)?.props == ["w": 3])
        #expect(try repo.snapshot(cid).node(Self.note)?.props["text"] == .string("caf\u{E9}"))
    }

    /// A settlement naming no conflict (a misspelt property, an unchanged field) fails the merge.
    @Test func aSettlementNamingNoConflictIsRefused() throws {
        let (repo, side) = try Self.forked()
        let head = try repo.head()
        var r = MergeResolutions()
        try r.resolve(.node(Self.note), .prop("importance"), .theirs)
        try r.resolve(.node(Self.note), .prop("text"), .ours)
        try r.resolve(.edge(Self.edge), .prop("w"), .ours)
        try r.resolve(.node(Self.note), .prop("mood"), .ours)
        #expect(throws: GraphError.invalidResolution("node \(Self.note) props.mood: no such conflict in this merge")) {
            try repo.merge(side, resolutions: r, Self.info)
        }
        #expect(try repo.head() == head)
        #expect(throws: GraphError.self) { try r.resolve(.edge(Self.edge), .src, .value("x")) }
        #expect(throws: GraphError.self) { try r.resolve(.node(Self.note), .label, .value(1)) }
    }
}
