import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

struct RepositoryTests {
    static func info(_ message: String = "m", time: Int64 = 1_000) -> CommitInfo {
        CommitInfo(author: "tester", message: message, time: time)
    }

    static func id(_ n: UInt64) -> EntityID { EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n) }

    @Test func newRepositoryHasAnUnbornMainBranch() throws {
        let repo = try Repository(store: MemoryBlockStore())
        #expect(try repo.currentBranch() == "main")
        #expect(try repo.head() == nil)
        #expect(try repo.branches().isEmpty)
        #expect(throws: GraphError.unbornBranch("main")) { try repo.resolve("HEAD") }
        let first = try repo.commit(ChangeSet(), Self.info())
        #expect(try repo.commit(first).parents.isEmpty)
        #expect(try repo.head() == first)
        #expect(try repo.snapshot(first).nodeCount() == 0)
    }

    @Test func commitsChainAndRevisionsResolve() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var cids: [CID] = []
        for i in 0..<4 {
            var tx = try repo.transaction()
            tx.addNode(label: "N", props: ["i": .int(Int64(i))], id: Self.id(UInt64(i)))
            cids.append(try repo.commit(tx, Self.info("c\(i)", time: Int64(i))))
        }
        #expect(try repo.commit(cids[2]).parents == [cids[1]])
        #expect(try repo.resolve("HEAD") == cids[3])
        #expect(try repo.resolve("main~2") == cids[1])
        #expect(try repo.resolve("HEAD~3") == cids[0])
        #expect(try repo.resolve(cids[2].description) == cids[2])
        #expect(try repo.resolve("\(cids[3])~1") == cids[2])
        #expect(throws: GraphError.unknownRevision("HEAD~4")) { try repo.resolve("HEAD~4") }
        #expect(throws: GraphError.unknownRevision("nope")) { try repo.resolve("nope") }
        #expect(try repo.log(from: cids[3], firstParent: true).map(\.cid) == cids.reversed())
        #expect(try repo.log(from: cids[3]).map(\.cid) == cids.reversed())
        // Each past state is still readable.
        #expect(try repo.snapshot(cids[1]).nodeCount() == 2)
        #expect(try repo.snapshot(cids[1]).node(Self.id(3)) == nil)
    }

    /// Issue 9 finding 8: an unreadable commit ends the history with its error after every
    /// commit before it (not before the first), in both walks, and no ancestor of it is listed.
    @Test func logListsTheCommitsBeforeAnUnreadableOneThenFails() throws {
        let store = MemoryBlockStore()
        let repo = try Repository(store: store)
        func commit(_ n: UInt64, on branch: String, time: Int64) throws -> CID {
            var changes = ChangeSet()
            changes.put(Node(id: Self.id(n), label: "Caf\u{e9}", props: ["n\u{0}": .int(Int64(n))]))
            return try repo.commit(changes, on: branch, Self.info("c\(n) e\u{301}", time: time))
        }
        // c0 - c1 - c2 - merge, and c0 - s1 - merge on a side branch.
        let c0 = try commit(0, on: "main", time: 0)
        try repo.createBranch("side", at: c0)
        let c1 = try commit(1, on: "main", time: 1)
        let c2 = try commit(2, on: "main", time: 2)
        let s1 = try commit(3, on: "side", time: 3)
        let merge = try repo.merge(s1, policy: .fail, Self.info("merge", time: 4)).commit
        #expect(try repo.log(from: merge).map(\.cid) == [merge, s1, c2, c1, c0])
        try store.delete([c1])
        for firstParent in [false, true] {
            var listed: [CID] = []
            #expect(throws: GraphError.missingBlock(c1)) {
                try repo.log(from: merge, firstParent: firstParent) { entry throws(GraphError) in listed.append(entry.cid) }
            }
            #expect(listed == (firstParent ? [merge, c2] : [merge, s1, c2]), "firstParent \(firstParent)")
            #expect(throws: GraphError.missingBlock(c1)) { try repo.log(from: merge, firstParent: firstParent) }
        }
        // A limit that stops before the unreadable commit lists without error.
        var listed: [CID] = []
        try repo.log(from: merge, limit: 2) { entry throws(GraphError) in listed.append(entry.cid) }
        #expect(listed == [merge, s1])
    }

    @Test func updatesPatchReplaceAndRelabel() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "Person", props: ["name": "ann", "age": 30], id: Self.id(1))
        _ = try repo.commit(tx, Self.info())
        tx = try repo.transaction()
        try tx.updateNode(a, props: .patch(["age": 31, "city": "Oslo", "name": nil]))
        var s = try repo.snapshot(try repo.commit(tx, Self.info()))
        #expect(try s.node(a)?.props == ["age": 31, "city": "Oslo"])
        #expect(try s.count(label: "Person", where: "name", equals: "ann") == 0)
        #expect(try s.count(label: "Person", where: "age", equals: 31) == 1)
        tx = try repo.transaction()
        try tx.updateNode(a, label: "Agent", props: .replace(["x": true]))
        s = try repo.snapshot(try repo.commit(tx, Self.info()))
        #expect(try s.node(a) == Node(id: a, label: "Agent", props: ["x": true]))
        #expect(try s.count(label: "Person") == 0)
        #expect(try s.count(label: "Agent") == 1)
        #expect(try s.count(label: "Agent", where: "x", equals: true) == 1)
        #expect(throws: GraphError.nodeNotFound(Self.id(9))) {
            var t = try repo.transaction()
            try t.updateNode(Self.id(9), label: "X")
        }
    }

    @Test func removingANodeRemovesItsEdges() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "P", id: Self.id(1)), b = tx.addNode(label: "P", id: Self.id(2)), c = tx.addNode(label: "P", id: Self.id(3))
        let ab = tx.addEdge(from: a, "knows", to: b, id: Self.id(10))
        let ca = tx.addEdge(from: c, "knows", to: a, id: Self.id(11))
        let bc = tx.addEdge(from: b, "knows", to: c, id: Self.id(12))
        _ = try repo.commit(tx, Self.info())
        tx = try repo.transaction()
        try tx.removeNode(a)
        let s = try repo.snapshot(try repo.commit(tx, Self.info()))
        #expect(try s.edge(ab) == nil)
        #expect(try s.edge(ca) == nil)
        #expect(try s.edge(bc) != nil)
        #expect(try s.edgeCount() == 1)
        #expect(try s.degree(c, .both) == 1)
        #expect(try s.rebuildIndexes() == s.index)
    }

    @Test func anEdgeToAMissingNodeFailsAtCommit() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "P", id: Self.id(1))
        tx.addEdge(from: a, "knows", to: Self.id(2), id: Self.id(10))
        #expect(throws: GraphError.danglingEdge(edge: Self.id(10), missingNode: Self.id(2))) { try repo.commit(tx, Self.info()) }
        #expect(try repo.head() == nil)
    }

    @Test func sameOperationsGiveTheSameCommitCID() throws {
        func run() throws -> CID {
            let repo = try Repository(store: MemoryBlockStore())
            var tx = try repo.transaction()
            let a = tx.addNode(label: "P", props: ["name": "ann"], id: Self.id(1))
            let b = tx.addNode(label: "P", props: ["name": "bob"], id: Self.id(2))
            tx.addEdge(from: a, "knows", to: b, id: Self.id(3))
            _ = try repo.commit(tx, CommitInfo(author: "a", message: "one", agent: "bot", time: 5))
            tx = try repo.transaction()
            try tx.updateNode(b, props: .patch(["age": 4]))
            return try repo.commit(tx, CommitInfo(author: "a", message: "two", time: 6))
        }
        #expect(try run() == run())
    }

    @Test func branchesCheckoutAndDetachedHEAD() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let c1 = try repo.commit(ChangeSet(), Self.info("one"))
        try repo.createBranch("explore", at: c1)
        #expect(throws: GraphError.branchExists("explore")) { try repo.createBranch("explore", at: c1) }
        #expect(throws: GraphError.invalidBranchName("bad name")) { try repo.createBranch("bad name", at: c1) }
        try repo.checkout(branch: "explore")
        var tx = try repo.transaction()
        tx.addNode(label: "X", id: Self.id(1))
        let c2 = try repo.commit(tx, Self.info("two"))
        #expect(try repo.branchHead("explore") == c2)
        #expect(try repo.branchHead("main") == c1)
        #expect(try repo.branches().map(\.name) == ["explore", "main"])
        #expect(throws: GraphError.cannotDeleteCurrentBranch("explore")) { try repo.deleteBranch("explore") }
        try repo.checkout(detached: c1)
        #expect(try repo.currentBranch() == nil)
        #expect(try repo.head() == c1)
        tx = try repo.transaction()
        tx.addNode(label: "Y", id: Self.id(2))
        let c3 = try repo.commit(tx, Self.info("three"))
        #expect(try repo.head() == c3)
        #expect(try repo.branchHead("main") == c1)
        try repo.checkout(branch: "main")
        // explore's c2 is not reachable from main: deleting it needs force.
        #expect(throws: GraphError.branchNotMerged("explore")) { try repo.deleteBranch("explore") }
        #expect(try repo.branchHead("explore") == c2)
        try repo.createBranch("merged", at: c1)
        try repo.deleteBranch("merged")
        try repo.deleteBranch("explore", force: true)
        #expect(try repo.branchHead("explore") == nil)
    }

    @Test func fileRepositoryKeepsItsStateAcrossOpens() throws {
        let dir = TestDirectory.path("engram-graph")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var cid: CID
        do {
            let repo = try Repository.create(at: dir)
            var tx = try repo.transaction()
            tx.addNode(label: "P", props: ["k": "v"], id: Self.id(1))
            cid = try repo.commit(tx, Self.info())
            try (repo.store as! FileBlockStore).close()
        }
        let repo = try Repository.open(at: dir)
        #expect(try repo.head() == cid)
        #expect(try repo.snapshot(cid).node(Self.id(1))?.props == ["k": "v"])
        #expect(throws: GraphError.notARepository(dir + "/nope")) { try Repository.open(at: dir + "/nope") }
    }

    /// A reader of a repository with no commit yet (a read-only store, as `engram node get`
    /// opens it) sees the empty graph and transactions over it, instead of failing to write
    /// the empty tree.
    @Test func readOnlyReaderOfANewRepositorySeesTheEmptyGraph() throws {
        let dir = TestDirectory.path("engram-unborn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (try Repository.create(at: dir).store as! FileBlockStore).close()
        let reader = try Repository.open(at: dir, options: .init(readOnly: true))
        #expect(try reader.head() == nil)
        let empty = try reader.snapshot(nil)
        #expect(try empty.node(Self.id(1)) == nil)
        #expect(try empty.nodeCount() == 0)
        var tx = try reader.transaction()
        tx.addNode(label: "X", id: Self.id(1))
        #expect(try tx.node(Self.id(1))?.label == "X")
        #expect(try tx.diff().nodes == [.added(Node(id: Self.id(1), label: "X"))])
        var labelled = try empty.nodes(label: "X")
        #expect(try labelled.next() == nil)
    }

    /// `force` moves an existing branch (as `git branch -f`); without it the branch stays.
    @Test func createBranchForceMovesAnExistingBranch() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let c1 = try repo.commit(ChangeSet(), Self.info("one"))
        var tx = try repo.transaction()
        tx.addNode(label: "X", id: Self.id(1))
        let c2 = try repo.commit(tx, Self.info("two"))
        try repo.createBranch("b", at: c1)
        #expect(throws: GraphError.branchExists("b")) { try repo.createBranch("b", at: c2) }
        #expect(try repo.branchHead("b") == c1)
        try repo.createBranch("b", at: c2, force: true)
        #expect(try repo.branchHead("b") == c2)
    }
}
