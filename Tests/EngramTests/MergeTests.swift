import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

struct MergeTests {
    static let info = CommitInfo(author: "m", message: "merge", time: 9)
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    /// A repository with a base commit on main and branches `a` and `b` of random changes each.
    static func forked(seed: UInt64) throws -> (Repository, base: CID, a: CID, b: CID, models: (ReferenceGraph, ReferenceGraph, ReferenceGraph)) {
        var rng = RNG(seed: seed)
        let repo = try Repository(store: MemoryBlockStore())
        var base = ReferenceGraph()
        for _ in 0..<3 {
            var tx = try repo.transaction()
            try RandomChanges.transaction(&rng, &tx, &base, maxOps: 8)
            _ = try repo.commit(tx, Self.info)
        }
        let baseCID = try repo.head()!
        try repo.createBranch("a", at: baseCID)
        try repo.createBranch("b", at: baseCID)
        var heads: [CID] = []
        var models: [ReferenceGraph] = []
        for branch in ["a", "b"] {
            var model = base
            var tx = try repo.transaction(on: branch)
            try RandomChanges.transaction(&rng, &tx, &model, maxOps: 4)
            heads.append(try repo.commit(tx, Self.info))
            models.append(model)
        }
        return (repo, baseCID, heads[0], heads[1], (base, models[0], models[1]))
    }

    /// Merging a into b and b into a: when clean, both give the same graph, which keeps every
    /// one-sided change and never brings back a one-sided removal.
    @Test func cleanMergesAreSymmetricAndKeepOneSidedChanges() async {
        await propertyCheck(count: 100, input: Gen<UInt64>.uint64()) { seed in
            let (repo, _, a, b, (base, ma, mb)) = try Self.forked(seed: seed)
            guard a != b else {
                // Both sides made the same commit (same trees, parent and metadata).
                #expect(try repo.merge(b, into: "a", Self.info) == .upToDate(a))
                return
            }
            let conflicts = try repo.mergeConflicts(a, b)
            #expect(Set(conflicts) == Set(try repo.mergeConflicts(b, a).map(\.swappedForTest)), "seed \(seed): conflicts are symmetric")
            guard conflicts.isEmpty else {
                #expect(throws: GraphError.self) { try repo.merge(b, into: "a", Self.info) }
                #expect(try repo.branchHead("a") == a, "a failed merge changes nothing")
                return
            }
            let ab = try repo.merge(b, into: "a", Self.info).commit
            let ba = try repo.merge(a, into: "b", Self.info).commit
            let sab = try repo.snapshot(ab), sba = try repo.snapshot(ba)
            #expect(sab.nodes.root == sba.nodes.root, "seed \(seed)")
            #expect(sab.edges.root == sba.edges.root, "seed \(seed)")
            #expect(sab.index == sba.index)
            #expect(try sab.rebuildIndexes() == sab.index)
            #expect(try repo.commit(ab).parents == [a, b])
            for (mine, other) in [(ma, mb), (mb, ma)] {
                for (id, n) in mine.nodes where base.nodes[id] != n && other.nodes[id] == base.nodes[id] {
                    let merged = try sab.node(id)
                    #expect(merged == n, "seed \(seed): one-sided change of \(id) kept")
                }
                for id in base.nodes.keys where mine.nodes[id] == nil && other.nodes[id] == base.nodes[id] {
                    #expect(try sab.node(id) == nil, "seed \(seed): removal of \(id) not undone")
                }
                for id in base.edges.keys where mine.edges[id] == nil {
                    #expect(try sab.edge(id) == nil, "seed \(seed): removed edge \(id) stays removed")
                }
            }
        }
    }

    @Test func mergingWithItselfOrAnAncestorChangesNothing() async {
        await propertyCheck(count: 10, input: Gen<UInt64>.uint64()) { seed in
            let (repo, base, a, _, _) = try Self.forked(seed: seed)
            #expect(try repo.merge(a, into: "a", Self.info) == .upToDate(a))
            #expect(try repo.merge(base, into: "a", Self.info) == .upToDate(a))
            #expect(try repo.branchHead("a") == a)
        }
    }

    /// Criss-cross history: two lowest common ancestors; the newer one is the base, whichever
    /// side asks.
    @Test func mergeBaseOfCrissCrossIsDeterministic() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let x = try repo.commit(ChangeSet(), CommitInfo(author: "a", message: "x", time: 1))
        try repo.createBranch("p", at: x)
        try repo.createBranch("q", at: x)
        var tx = try repo.transaction(on: "p")
        tx.addNode(label: "P", id: Self.id(1))
        let p1 = try repo.commit(tx, CommitInfo(author: "a", message: "p1", time: 3))
        tx = try repo.transaction(on: "q")
        tx.addNode(label: "Q", id: Self.id(2))
        let q1 = try repo.commit(tx, CommitInfo(author: "a", message: "q1", time: 2))
        let p2 = try repo.merge(q1, into: "p", CommitInfo(author: "a", message: "p2", time: 4)).commit
        let q2 = try repo.merge(p1, into: "q", CommitInfo(author: "a", message: "q2", time: 5)).commit
        #expect(try repo.commit(p2).parents == [p1, q1])
        #expect(try repo.commit(q2).parents == [q1, p1])
        #expect(try repo.mergeBase(p2, q2) == p1)
        #expect(try repo.mergeBase(q2, p2) == p1)
        #expect(try repo.mergeBase(p1, q1) == x)
        #expect(try repo.mergeBase(p2, p1) == p1)
        // Both merges hold the same graph, so merging them changes no content.
        let merged = try repo.merge(q2, into: "p", CommitInfo(author: "a", message: "p3", time: 6))
        #expect(try repo.snapshot(merged.commit).nodes.root == repo.snapshot(p2).nodes.root)
    }

    @Test func fastForwardsWhenPossible() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let c1 = try repo.commit(ChangeSet(), Self.info)
        try repo.createBranch("topic", at: c1)
        var tx = try repo.transaction(on: "topic")
        tx.addNode(label: "N", id: Self.id(1))
        let c2 = try repo.commit(tx, Self.info)
        #expect(try repo.merge(c2, Self.info) == .fastForward(c2))
        #expect(try repo.branchHead("main") == c2)
    }

    /// Builds base {n1: {a: 1, b: 1}}, then branch x and y with the given changes.
    static func diverge(_ x: (inout Transaction) throws -> Void, _ y: (inout Transaction) throws -> Void) throws -> (Repository, CID, CID) {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "N", props: ["a": 1, "b": 1], id: Self.id(1))
        tx.addNode(label: "N", id: Self.id(2))
        let base = try repo.commit(tx, Self.info)
        try repo.createBranch("x", at: base)
        try repo.createBranch("y", at: base)
        tx = try repo.transaction(on: "x")
        try x(&tx)
        let cx = try repo.commit(tx, Self.info)
        tx = try repo.transaction(on: "y")
        try y(&tx)
        return (repo, cx, try repo.commit(tx, Self.info))
    }

    @Test func differentPropertiesOfOneNodeMergePropertyByProperty() throws {
        let (repo, _, y) = try Self.diverge({ try $0.updateNode(Self.id(1), props: .patch(["a": 2])) },
                                            { try $0.updateNode(Self.id(1), props: .patch(["b": 3])) })
        let merged = try repo.merge(y, into: "x", Self.info).commit
        #expect(try repo.snapshot(merged).node(Self.id(1))?.props == ["a": 2, "b": 3])
    }

    @Test func samePropertyDifferentValuesIsAConflict() throws {
        let (repo, x, y) = try Self.diverge({ try $0.updateNode(Self.id(1), props: .patch(["a": 2])) },
                                            { try $0.updateNode(Self.id(1), props: .patch(["a": 3])) })
        let expected = MergeConflict(entity: .node(Self.id(1)), kind: .field(.prop("a"), base: 1, ours: 2, theirs: 3))
        #expect(throws: GraphError.mergeConflict([expected])) { try repo.merge(y, into: "x", Self.info) }
        #expect(try repo.branchHead("x") == x)
        let ours = try repo.merge(y, into: "x", policy: .ours, Self.info)
        #expect(try repo.snapshot(ours.commit).node(Self.id(1))?.props["a"] == 2)
        try repo.createBranch("x2", at: x)
        let theirs = try repo.merge(y, into: "x2", policy: .theirs, Self.info)
        #expect(try repo.snapshot(theirs.commit).node(Self.id(1))?.props["a"] == 3)
    }

    @Test func removeAgainstChangeIsAConflict() throws {
        let (repo, _, y) = try Self.diverge({ try $0.removeNode(Self.id(1)) },
                                            { try $0.updateNode(Self.id(1), props: .patch(["a": 3])) })
        #expect(throws: GraphError.mergeConflict([MergeConflict(entity: .node(Self.id(1)), kind: .removedChanged(removedBy: .ours))])) {
            try repo.merge(y, into: "x", Self.info)
        }
        let theirs = try repo.merge(y, into: "x", policy: .theirs, Self.info)
        #expect(try repo.snapshot(theirs.commit).node(Self.id(1))?.props["a"] == 3)
    }

    @Test func anEdgeAddedToANodeRemovedOnTheOtherSideIsAConflict() throws {
        let (repo, _, y) = try Self.diverge({ try $0.removeNode(Self.id(2)) },
                                            { $0.addEdge(from: Self.id(1), "r", to: Self.id(2), id: Self.id(9)) })
        #expect(throws: GraphError.mergeConflict([MergeConflict(entity: .edge(Self.id(9)), kind: .endpointRemoved(node: Self.id(2), removedBy: .ours))])) {
            try repo.merge(y, into: "x", Self.info)
        }
        let ours = try repo.merge(y, into: "x", policy: .ours, Self.info)
        let s = try repo.snapshot(ours.commit)
        #expect(try s.edge(Self.id(9)) == nil)
        #expect(try s.node(Self.id(2)) == nil)
    }
}

extension MergeConflict {
    /// The conflict as seen from the other side (ours and theirs swapped).
    var swappedForTest: MergeConflict {
        switch kind {
        case .field(let f, let b, let o, let t): MergeConflict(entity: entity, kind: .field(f, base: b, ours: t, theirs: o))
        case .removedChanged(let s): MergeConflict(entity: entity, kind: .removedChanged(removedBy: s == .ours ? .theirs : .ours))
        case .endpointRemoved(let n, let s): MergeConflict(entity: entity, kind: .endpointRemoved(node: n, removedBy: s == .ours ? .theirs : .ours))
        }
    }
}
