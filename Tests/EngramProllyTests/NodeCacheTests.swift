import EngramIPLD
import EngramStore
import Testing
@testable import EngramProlly

@Suite struct NodeCacheTests {
    @Test func cacheStaysWithinItsCapacity() throws {
        let (storage, _) = makeStorage(cache: 16)
        let tree = try ProllyTree.build(unsorted: SplitMix64.entries(count: 20_000, seed: 3), in: storage)
        let nodes = try allNodes(tree)
        #expect(nodes.count > 100)
        #expect(storage.cache.count <= 16)
    }

    @Test func lookupsAreRightWhateverTheCacheHolds() throws {
        for capacity in [0, 3, 64, 100_000] {
            let store = MemoryBlockStore()
            let storage = ProllyStorage(blocks: store, cache: NodeCache(capacity: capacity))
            let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 8000, seed: 4))
            let tree = try ProllyTree.build(sorted: entries, in: storage)
            for entry in entries.prefix(500) { #expect(try tree.get(entry.key) == entry.value) }
            #expect(try tree.get([0x00]) == nil)
            let height = try tree.height()
            store.resetCounters()
            _ = try tree.get(entries[0].key)
            // No cache reads one node per level; a warm cache reads nothing.
            if capacity == 0 { #expect(store.counts.gets == height) }
            if capacity >= 64 { #expect(store.counts.gets == 0) }
        }
    }
}
