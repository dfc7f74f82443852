import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

struct ConcurrencyTests {
    /// Two writers commit in a loop to one branch of a file repository: every change lands, the
    /// history is linear, and every commit's parent is the head the branch had before it.
    @Test func twoWritersLoseNothing() async throws {
        let dir = TestDirectory.path("engram-conc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = try Repository.create(at: dir, options: .init(durability: .batched(milliseconds: 20)))
        let perWriter = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    for i in 0..<perWriter {
                        var tx = try repo.transaction(on: "main")
                        let id = EntityID(high: UInt64(writer + 1), low: UInt64(i))
                        tx.addNode(label: "W\(writer)", props: ["i": .int(Int64(i))], id: id)
                        if i > 0 { tx.addEdge(from: EntityID(high: UInt64(writer + 1), low: UInt64(i - 1)), "next", to: id,
                                              id: EntityID(high: UInt64(writer + 10), low: UInt64(i))) }
                        _ = try repo.commit(tx, CommitInfo(author: "w\(writer)", message: "\(i)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let head = try repo.head()!
        let s = try repo.snapshot(head)
        #expect(try s.nodeCount() == UInt64(2 * perWriter))
        #expect(try s.edgeCount() == UInt64(2 * (perWriter - 1)))
        #expect(try s.count(label: "W0") == UInt64(perWriter))
        #expect(try s.rebuildIndexes() == s.index)
        let history = try repo.log(from: head, firstParent: true)
        #expect(history.count == 2 * perWriter)
        #expect(history.last?.commit.parents == [])
        // The reflog of the branch: each new head's parent is the previous head.
        let file = repo.store as! FileBlockStore
        let moves = file.refs.reflog("refs/heads/main")
        #expect(moves.count == 2 * perWriter)
        for move in moves {
            let commit = try repo.commit(move.new!.cid!)
            #expect(commit.parents == (move.old?.cid.map { [$0] } ?? []))
        }
    }

    /// A rebased commit whose change collides with the concurrent one is refused, naming it.
    @Test func collidingConcurrentChangeIsATypedConflict() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let id = EntityID(high: 1, low: 1)
        var tx = try repo.transaction()
        tx.addNode(label: "N", props: ["v": 0], id: id)
        _ = try repo.commit(tx, CommitInfo(author: "a", message: "base", time: 1))
        var first = try repo.transaction(), second = try repo.transaction()
        try first.updateNode(id, props: .patch(["v": 1, "w": 1]))
        try second.updateNode(id, props: .patch(["v": 2]))
        _ = try repo.commit(first, CommitInfo(author: "a", message: "first", time: 2))
        let collision = MergeConflict(entity: .node(id), kind: .field(.prop("v"), base: 0, ours: 1, theirs: 2))
        #expect(throws: GraphError.commitConflict([collision])) {
            try repo.commit(second, CommitInfo(author: "b", message: "second", time: 3))
        }
        // A non-colliding concurrent change is rebased: both land, the parent is the moved head.
        var third = try repo.transaction()
        let stale = try repo.transaction()
        try third.updateNode(id, props: .patch(["x": 3]))
        let moved = try repo.commit(third, CommitInfo(author: "a", message: "third", time: 4))
        var late = stale
        try late.updateNode(id, props: .patch(["y": 4]))
        let rebased = try repo.commit(late, CommitInfo(author: "b", message: "late", time: 5))
        #expect(try repo.commit(rebased).parents == [moved])
        #expect(try repo.snapshot(rebased).node(id)?.props == ["v": 1, "w": 1, "x": 3, "y": 4])
    }
}
