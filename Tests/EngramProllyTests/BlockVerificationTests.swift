import EngramIPLD
import EngramStorage
import Synchronization
import Testing
@testable import EngramProlly

/// A store that hands back other bytes for some CIDs, as a damaged or hostile store would (a
/// record rewritten with a valid CRC): reads must not trust it.
final class ForgingBlockStore: BlockStore {
    let inner = MemoryBlockStore()
    let forged = Mutex<[CID: [UInt8]]>([:])

    func has(_ cid: CID) throws -> Bool { try inner.has(cid) }
    func get(_ cid: CID) throws -> [UInt8]? { try forged.withLock { $0[cid] } ?? inner.get(cid) }
    func put(_ block: Block) throws { try inner.put(block) }
    func put(_ blocks: [Block]) throws { try inner.put(blocks) }
    func forEachCID(_ body: (CID) throws -> Void) throws { try inner.forEachCID(body) }
    func delete(_ cids: [CID]) throws { try inner.delete(cids) }
}

/// Tree reads check that a node's bytes hash to its CID when they load it from the store.
@Suite struct BlockVerificationTests {
    @Test func forgedLeafIsRefusedNamingItsCID() throws {
        let store = ForgingBlockStore()
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 3000, seed: 9))
        let tree = try ProllyTree.build(sorted: entries, in: ProllyStorage(blocks: store))
        let leaves = try allNodes(tree).filter { $0.level == 0 }
        #expect(leaves.count > 2)
        let victim = leaves[1]
        let keys = Set(victim.keys)
        var bytes = try #require(try store.inner.get(victim.cid))
        bytes[bytes.count / 2] ^= 0x40
        store.forged.withLock { $0[victim.cid] = bytes }

        let cold = ProllyTree(root: tree.root, storage: ProllyStorage(blocks: store, cache: NodeCache(capacity: 0)))
        let refusal = ProllyError.corruptNode(victim.cid, reason: "bytes do not hash to the CID")
        for entry in entries {
            if keys.contains(entry.key) {
                #expect(throws: refusal) { try cold.get(entry.key) }
            } else {
                #expect(try cold.get(entry.key) == entry.value)
            }
        }
        #expect(throws: refusal) { try cold.storage.bytes(victim.cid) }
        #expect(throws: refusal) { try cold.storage.node(victim.cid) }
    }

    /// A node decoded once is served from the cache without reading (or hashing) it again.
    @Test func cachedNodesAreNotReadAgain() throws {
        let store = ForgingBlockStore()
        let storage = ProllyStorage(blocks: store, cache: NodeCache(capacity: 100_000))
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 3000, seed: 10))
        let tree = try ProllyTree.build(sorted: entries, in: storage)
        let warm = ProllyTree(root: tree.root, storage: ProllyStorage(blocks: store, cache: NodeCache(capacity: 100_000)))
        for entry in entries { #expect(try warm.get(entry.key) == entry.value) }
        // Every node now forged: reads still answer from the decoded, verified nodes.
        for node in try allNodes(tree) { store.forged.withLock { $0[node.cid] = [0xa0] } }
        for entry in entries.prefix(200) { #expect(try warm.get(entry.key) == entry.value) }
    }
}
