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

    /// Divergences whose conflicts are not about a field (and one whose edge endpoint changes on
    /// both sides), from `MergeTests.diverge`'s base {n1, n2}.
    typealias Change = @Sendable (inout Transaction) throws -> Void
    static let entityConflicts: [(name: String, x: Change, y: Change)] = [
        ("x removes, y changes", { try $0.removeNode(MergeTests.id(1)) }, { try $0.updateNode(MergeTests.id(1), props: .patch(["a": 3])) }),
        ("x changes, y removes", { try $0.updateNode(MergeTests.id(1), props: .patch(["a": 3])) }, { try $0.removeNode(MergeTests.id(1)) }),
        ("y adds an edge at a node x removes", { try $0.removeNode(MergeTests.id(2)) },
         { $0.addEdge(from: MergeTests.id(1), "r", to: MergeTests.id(2), id: MergeTests.id(9)) }),
        ("x adds an edge at a node y removes", { $0.addEdge(from: MergeTests.id(1), "r", to: MergeTests.id(2), id: MergeTests.id(9)) },
         { try $0.removeNode(MergeTests.id(2)) }),
        ("both move one edge's end", {
            $0.addNode(label: "N", id: MergeTests.id(3))
            $0.addEdge(from: MergeTests.id(1), "r", to: MergeTests.id(3), id: MergeTests.id(9))
        }, {
            $0.addNode(label: "N", id: MergeTests.id(3))
            $0.addEdge(from: MergeTests.id(2), "r", to: MergeTests.id(3), id: MergeTests.id(9))
        }),
    ]

    /// The nodes and edges of a commit, for comparing merge results.
    static func content(_ repo: Repository, _ cid: CID) throws -> [String] {
        let s = try repo.snapshot(cid)
        return try (1...9).flatMap { n -> [String] in
            let id = MergeTests.id(UInt64(n))
            return [try s.node(id).map { "\($0)" }, try s.edge(id).map { "\($0)" }].compactMap { $0 }
        }
    }

    /// Settling each conflicting node or edge as a whole with one side gives what that side's
    /// policy gives, lists every conflict as resolved, and no settlement is left unused; settling
    /// them with a side that differs per conflict still merges without a conflict left.
    @Test(arguments: [MergeSide.ours, .theirs])
    func anEntitySettlementActsAsThePolicyForItsConflicts(side: MergeSide) throws {
        for scenario in Self.entityConflicts {
            let (repo, x, y) = try MergeTests.diverge(scenario.x, scenario.y)
            let conflicts = try repo.mergeConflicts(x, y)
            #expect(!conflicts.isEmpty, "\(scenario.name)")
            var r = MergeResolutions()
            for conflict in conflicts { r.resolve(conflict.entity, side) }
            try repo.createBranch("policy", at: x)
            let byPolicy = try repo.merge(y, into: "policy", policy: side == .ours ? .ours : .theirs, Self.info)
            let settled = try repo.merge(y, into: "x", resolutions: r, Self.info)
            guard case .merged(let cid, let resolved) = settled else { Issue.record("\(scenario.name): \(settled)"); continue }
            #expect(Set(resolved) == Set(conflicts), "\(scenario.name)")
            #expect(try Self.content(repo, cid) == Self.content(repo, byPolicy.commit), "\(scenario.name)")
        }
    }

    /// A node's settlement also settles the endpoint conflicts of edges at it: ours keeps the
    /// removal (their edge goes), theirs brings the node back with its edge.
    @Test func aNodeSettlementSettlesTheEdgesAtIt() throws {
        let (repo, x, y) = try MergeTests.diverge({ try $0.removeNode(MergeTests.id(2)) }, {
            try $0.updateNode(MergeTests.id(2), props: .patch(["c": 1]))
            $0.addEdge(from: MergeTests.id(1), "r", to: MergeTests.id(2), id: MergeTests.id(9))
        })
        var ours = MergeResolutions()
        ours.resolve(.node(MergeTests.id(2)), .ours)
        let kept = try repo.merge(y, into: "x", resolutions: ours, Self.info).commit
        #expect(try repo.snapshot(kept).node(MergeTests.id(2)) == nil)
        #expect(try repo.snapshot(kept).edge(MergeTests.id(9)) == nil)
        try repo.createBranch("x2", at: x)
        var theirs = MergeResolutions()
        theirs.resolve(.node(MergeTests.id(2)), .theirs)
        let back = try repo.merge(y, into: "x2", resolutions: theirs, Self.info).commit
        #expect(try repo.snapshot(back).node(MergeTests.id(2))?.props == ["c": 1])
        #expect(try repo.snapshot(back).edge(MergeTests.id(9))?.dst == MergeTests.id(2))
    }

    /// An entity settlement settles the entity's field conflicts that no field settlement names;
    /// one naming an entity without a conflict fails the merge; an unsettled conflict still fails.
    @Test func anEntitySettlementCoversItsFieldsAndMustNameAConflict() throws {
        let (repo, side) = try Self.forked()
        let head = try repo.head()
        var r = MergeResolutions()
        r.resolve(.node(Self.note), .theirs)
        try r.resolve(.node(Self.note), .prop("text"), .ours)
        #expect(throws: GraphError.mergeConflict([MergeConflict(entity: .edge(Self.edge), kind: .field(.prop("w"), base: 1, ours: 2, theirs: 3))])) {
            try repo.merge(side, resolutions: r, Self.info)
        }
        var stray = r
        stray.resolve(.edge(Self.edge), .ours)
        stray.resolve(.node(Self.other), .ours)
        #expect(throws: GraphError.invalidResolution("node \(Self.other): no such conflict in this merge")) {
            try repo.merge(side, resolutions: stray, Self.info)
        }
        #expect(try repo.head() == head)
        r.resolve(.edge(Self.edge), .ours)
        let cid = try repo.merge(side, resolutions: r, Self.info).commit
        #expect(try repo.snapshot(cid).node(Self.note)?.props == ["importance": 0.8, "text": "caf\u{E9}", "mood": "bright"])
        #expect(try repo.snapshot(cid).edge(Self.edge)?.props == ["w": 2])
    }
}
