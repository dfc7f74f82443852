import EngramIPLD
import EngramStorage
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

@Suite struct DeepTreeDifferentialTests {
    /// A three-level tree under long random sequences of batches: contents, counts, ranges and
    /// cursors are checked against the model after each batch.
    @Test func threeLevelTreeTracksTheModel() throws {
        var rng = SplitMix64(seed: 77)
        let (storage, _) = makeStorage(cache: 1 << 14)
        var model = Model()
        model.apply(randomBatch(&rng, size: 40_000, space: 100_000))
        var tree = try ProllyTree.build(sorted: model.sorted, in: storage)
        #expect(try tree.height() >= 3)
        for round in 0..<15 {
            let size = [1, 7, 100, 2500, 10_000][round % 5]
            // Half the removes target keys that may be missing; re-inserts of removed keys follow.
            var batch = randomBatch(&rng, size: size, space: 100_000)
            if round % 3 == 2, let removed = batch.first(where: { if case .remove = $0 { true } else { false } }) {
                batch.append(.upsert(key: removed.key, value: .bytes([1, 2, 3])))
            }
            tree = try tree.applying(batch)
            model.apply(batch)
            let expected = model.sorted
            #expect(try tree.count() == UInt64(expected.count))
            #expect(try tree.collect() == expected, "round \(round)")
            var cursor = ProllyCursor(tree: tree)
            for _ in 0..<20 {
                let probe = randomKey(&rng, space: 100_000)
                try cursor.seek(to: probe)
                let index = expected.firstIndex { KeyOrder.compare($0.key, probe) >= 0 } ?? expected.count
                #expect(cursor.entry == (index < expected.count ? expected[index] : nil))
                if index > 0 {
                    #expect(try cursor.movePrevious() && cursor.entry == expected[index - 1])
                    #expect(try cursor.moveNext())
                }
                #expect(try tree.rank(of: probe) == UInt64(index))
                let upper = randomKey(&rng, space: 100_000)
                if KeyOrder.less(probe, upper) {
                    let inRange = expected[index...].prefix { KeyOrder.less($0.key, upper) }
                    #expect(try tree.count(from: probe, to: upper) == UInt64(inRange.count))
                    #expect(try tree.collect(from: probe, to: upper) == Array(inRange))
                }
            }
            if round % 5 == 4 { try tree.validate() }
        }
        #expect(tree.root == (try ProllyTree.build(sorted: model.sorted, in: storage)).root)
    }
}
