import EngramIPLD
import EngramStore
import Testing
@testable import EngramProlly

@Suite struct MutationTests {
    @Test func randomBatchesMatchModelAndBulkBuild() throws {
        var rng = SplitMix64(seed: 7)
        let (storage, _) = makeStorage()
        var tree = try ProllyTree.empty(in: storage)
        var model = Model()
        for round in 0..<60 {
            let size = [1, 3, 17, 200, 900][round % 5]
            let batch = randomBatch(&rng, size: size, space: 3000)
            tree = try tree.applying(batch)
            model.apply(batch)
            let expected = model.sorted
            #expect(try tree.collect() == expected)
            #expect(try tree.count() == UInt64(expected.count))
            let bulk = try ProllyTree.build(sorted: expected, in: storage)
            #expect(tree.root == bulk.root, "round \(round)")
        }
    }
}

@Suite struct MutationCostTests {
    /// One random edit in a large tree writes about one node per level.
    @Test func oneEditWritesAboutOneNodePerLevel() throws {
        let count = 1_000_000
        let (storage, store) = makeStorage(cache: 1 << 15)
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: count, seed: 11))
        let tree = try ProllyTree.build(sorted: entries, in: storage)
        let height = try tree.height()
        #expect(height >= 4)
        var rng = SplitMix64(seed: 12)
        var written = 0
        let edits = 200
        for i in 0..<edits {
            store.resetCounters()
            let key = i % 2 == 0 ? entries[Int(rng.next() % UInt64(count))].key : rng.bytes(16)
            let edited = try tree.applying([i % 4 == 0 ? .remove(key: key) : .upsert(key: key, value: .bytes(rng.bytes(36)))])
            written += store.counts.newBlocks
            #expect(edited.root != tree.root)
        }
        let average = Double(written) / Double(edits)
        #expect(average <= Double(height + 2), "average \(average) new nodes per edit, height \(height)")
        #expect(average >= Double(height) - 0.5)
    }

    @Test func untouchedSubtreesAreReused() throws {
        let (storage, store) = makeStorage()
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 50_000, seed: 2))
        let tree = try ProllyTree.build(sorted: entries, in: storage)
        let before = Set(try allNodes(tree).map(\.cid))
        store.resetCounters()
        let edited = try tree.applying(entries[100..<110].map { .upsert(key: $0.key, value: .null) })
        let after = Set(try allNodes(edited).map(\.cid))
        let fresh = after.subtracting(before)
        #expect(fresh.count == store.counts.newBlocks)
        let height = try edited.height()
        #expect(fresh.count <= height + 3)
        // A no-op batch changes nothing and writes nothing.
        store.resetCounters()
        let same = try tree.applying(entries[5..<9].map { .upsert(key: $0.key, value: $0.value) } + [.remove(key: [0])])
        #expect(same.root == tree.root)
        #expect(store.counts.newBlocks == 0)
    }
}
