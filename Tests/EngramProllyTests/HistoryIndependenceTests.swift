import EngramIPLD
import EngramStorage
import PropertyBased
import Testing
@testable import EngramProlly

@Suite struct HistoryIndependenceTests {
    /// Final entries reached by inserting in shuffled order at a batch size, with decoys that are
    /// inserted then deleted and values that are overwritten along the way.
    func reach(_ final: [ProllyEntry], batch: Int, seed: UInt64, storage: ProllyStorage) throws -> ProllyTree {
        var rng = SplitMix64(seed: seed)
        // Each key's operations stay in order; the keys' groups are shuffled.
        var groups: [[ProllyMutation]] = []
        for entry in final {
            var group: [ProllyMutation] = []
            if rng.next() % 4 == 0 { group.append(.upsert(key: entry.key, value: .bytes([0xee]))) }
            if rng.next() % 8 == 0 { group.append(.remove(key: entry.key)) }
            group.append(.upsert(key: entry.key, value: entry.value))
            groups.append(group)
            if rng.next() % 5 == 0 {
                let decoy = entry.key + [0x00, UInt8(truncatingIfNeeded: rng.next())]
                groups.append([.upsert(key: decoy, value: .null), .remove(key: decoy)])
            }
        }
        groups.shuffle(using: &rng)
        let ops = groups.flatMap { $0 }
        var tree = try ProllyTree.empty(in: storage)
        var start = 0
        while start < ops.count {
            let end = ops.count - start <= batch ? ops.count : start + batch
            tree = try tree.applying(Array(ops[start..<end]))
            start = end
        }
        return tree
    }

    @Test func sameEntriesSameRootAtEveryBatchSize() async throws {
        await propertyCheck(count: 12, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...3000)) { seed, count in
            let (storage, _) = makeStorage()
            let final = SplitMix64.entries(count: count, seed: seed).map { ProllyEntry(key: Array($0.key.prefix(6)), value: $0.value) }
            let unique = ProllyTree.sortedUnique(final)
            let bulk = try ProllyTree.build(sorted: unique, in: storage)
            for batch in [1, 7, 100, 10_000, Int.max] where batch != 1 || count <= 800 {
                let tree = try reach(unique, batch: batch, seed: seed ^ UInt64(batch & 0xffff), storage: storage)
                #expect(tree.root == bulk.root, "batch \(batch), \(count) entries")
            }
        }
    }

    @Test func insertionOrderDoesNotMatter() async throws {
        await propertyCheck(count: 20, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let (storage, _) = makeStorage()
            var entries = SplitMix64.entries(count: 1500, seed: seed)
            let bulk = try ProllyTree.build(unsorted: entries, in: storage)
            var rng = SplitMix64(seed: seed)
            entries.shuffle(using: &rng)
            var tree = try ProllyTree.empty(in: storage)
            for chunk in stride(from: 0, to: entries.count, by: 37) {
                tree = try tree.applying(entries[chunk..<min(chunk + 37, entries.count)].map { .upsert(key: $0.key, value: $0.value) })
            }
            #expect(tree.root == bulk.root)
            // Deleting everything in another order returns to the empty map.
            entries.shuffle(using: &rng)
            for chunk in stride(from: 0, to: entries.count, by: 101) {
                tree = try tree.applying(entries[chunk..<min(chunk + 101, entries.count)].map { .remove(key: $0.key) })
            }
            #expect(tree.root == storage.emptyRoot)
        }
    }
}
