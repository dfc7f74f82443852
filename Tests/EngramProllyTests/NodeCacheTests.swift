import EngramIPLD
import EngramStorage
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

    /// A key read from a link in place is the key of the CID it holds, for every CID shape; CIDs
    /// that differ anywhere have different keys; a digest over 32 bytes has none.
    @Test func keysFromLinksMatchKeysFromCIDs() throws {
        let digest = Array(0..<32 as Range<UInt8>)
        let cids: [CID] = [
            CID(hashing: [1]),
            CID(hashing: [1], function: .blake2b_256),
            CID(hashing: [1], codec: .raw),
            try CID(v0: Multihash(code: .sha2_256, digest: Digest(digest))),
            CID(codec: .dagCBOR, multihash: Multihash(code: .sha2_256, digest: Digest(digest))),
            CID(codec: .dagCBOR, multihash: Multihash(code: .blake2b_256, digest: Digest(digest))),
            CID(codec: .dagCBOR, multihash: try Multihash.identity([7, 7, 7])),
            CID(codec: .dagCBOR, multihash: try Multihash.identity(digest + [0])),
        ]
        var keys: [NodeCache.Key] = []
        for cid in cids {
            var writer = DAGCBORWriter()
            writer.writeLink(cid)
            let fromLink = writer.bytes.withUnsafeBytes { NodeCache.Key.of(link: $0) }
            #expect(fromLink == NodeCache.Key(cid), "\(cid)")
            #expect((fromLink == nil) == (cid.multihash.digest.count > 32))
            if let fromLink { keys.append(fromLink) }
        }
        #expect(Set(keys).count == cids.count - 1)
    }

    /// Nodes a key cannot name are simply not cached: lookups through them still work.
    @Test func nodesWithoutAKeyAreLoadedEveryTime() throws {
        let store = MemoryBlockStore()
        let storage = ProllyStorage(blocks: store, cache: NodeCache(capacity: 64))
        let keys = [[UInt8](repeating: 1, count: 20), [UInt8](repeating: 2, count: 20)]
        let leafBytes = NodeCodec.encodeLeaf(keys: keys, values: [.null, .bytes([5])])
        // An identity CID names the leaf: its bytes, over 32 of them, are the digest.
        let leafCID = CID(codec: .dagCBOR, multihash: try Multihash.identity(leafBytes))
        #expect(leafBytes.count > 32)
        try store.put(Block(cid: leafCID, bytes: leafBytes))
        let tree = ProllyTree(root: leafCID, storage: storage)
        store.resetCounters()
        #expect(try tree.get(keys[1]) == .bytes([5]))
        #expect(try tree.get([3]) == nil)
        #expect(store.counts.gets == 2)
        #expect(storage.cache.count == 0)
    }
}
