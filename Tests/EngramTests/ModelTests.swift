import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

/// Long random sequences of transactions checked against an in-memory reference graph.
struct ModelTests {
    static let info = CommitInfo(author: "model", message: "step", time: 1_700_000_000_000_000)

    @Test func randomTransactionsAgreeWithTheReference() async {
        await propertyCheck(count: 15, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var model = ReferenceGraph()
            for step in 0..<60 {
                var tx = try repo.transaction()
                try RandomChanges.transaction(&rng, &tx, &model)
                let cid = try repo.commit(tx, Self.info)
                try model.check(try repo.snapshot(cid), "seed \(seed) step \(step)")
            }
        }
    }

    /// Many small commits, then the same final graph written in one commit: same trees.
    @Test func treesDependOnlyOnTheFinalGraph() async {
        await propertyCheck(count: 10, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var model = ReferenceGraph()
            var last: CID?
            for _ in 0..<15 {
                var tx = try repo.transaction()
                try RandomChanges.transaction(&rng, &tx, &model)
                last = try repo.commit(tx, Self.info)
            }
            let other = try Repository(store: MemoryBlockStore())
            var once = ChangeSet()
            for n in model.nodes.values { once.put(n) }
            for e in model.edges.values { once.put(e) }
            let single = try other.snapshot(try other.commit(once, Self.info))
            let many = try repo.snapshot(last!)
            #expect(single.nodes.root == many.nodes.root)
            #expect(single.edges.root == many.edges.root)
            #expect(single.index == many.index)
        }
    }
}
