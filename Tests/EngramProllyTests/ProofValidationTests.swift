import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

@Suite struct ProofTests {
    @Test func inclusionAndExclusionProofsVerify() throws {
        let (storage, _) = makeStorage()
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 30_000, seed: 14))
        let tree = try ProllyTree.build(sorted: entries, in: storage)
        var rng = SplitMix64(seed: 15)
        for _ in 0..<50 {
            let entry = entries[Int(rng.next() % UInt64(entries.count))]
            let proof = try tree.proof(for: entry.key)
            #expect(proof.nodes.count == (try tree.height()))
            #expect(try proof.verify(root: tree.root) == entry.value)
            #expect(try proof.cids(root: tree.root).first == tree.root)
            let absent = rng.bytes(16)
            #expect(try tree.proof(for: absent).verify(root: tree.root) == nil)
        }
        // Beyond the last key and before the first.
        #expect(try tree.proof(for: [0xff, 0xff, 0xff]).verify(root: tree.root) == nil)
        #expect(try tree.proof(for: []).verify(root: tree.root) == nil)
    }

    @Test func tamperedProofsFail() throws {
        let (storage, _) = makeStorage()
        let entries = ProllyTree.sortedUnique(SplitMix64.entries(count: 20_000, seed: 16))
        let tree = try ProllyTree.build(sorted: entries, in: storage)
        let key = entries[777].key
        let proof = try tree.proof(for: key)
        var flipped = proof
        flipped.nodes[flipped.nodes.count - 1][20] ^= 1
        #expect(throws: ProllyError.self) { try flipped.verify(root: tree.root) }
        var truncated = proof
        truncated.nodes.removeLast()
        #expect(throws: ProllyError.self) { try truncated.verify(root: tree.root) }
        let other = try tree.inserting([1], .null)
        #expect(throws: ProllyError.self) { try proof.verify(root: other.root) }
        // A proof for one key does not prove another key's absence from a different leaf.
        var moved = proof
        moved.key = entries[15_000].key
        #expect(throws: ProllyError.self) { try moved.verify(root: tree.root) }
    }
}

@Suite struct ValidationTests {
    @Test func builtTreesValidate() throws {
        let (storage, _) = makeStorage()
        let tree = try ProllyTree.build(unsorted: SplitMix64.entries(count: 40_000, seed: 17), in: storage)
        try tree.validate()
        try ProllyTree.empty(in: storage).validate()
    }

    @Test func nodesBreakingTheChunkingRuleAreRejected() throws {
        let (storage, store) = makeStorage()
        let tree = try ProllyTree.build(unsorted: SplitMix64.entries(count: 5000, seed: 18), in: storage)
        let root = try tree.rootNode()
        var parent = root
        while parent.level > 1 { parent = try storage.node(parent.children[0]) }
        let first = try storage.node(parent.children[0])
        let second = try storage.node(parent.children[1])
        // Two leaves joined: the rule fires inside the node.
        let joined = NodeCodec.encodeLeaf(keys: first.keys + second.keys, values: first.values + second.values)
        #expect(throws: ProllyError.self) { try NodeValidation.validate(bytes: joined, cid: CID(hashing: joined), isRightmost: true) }
        // Half a leaf: the rule does not fire at its end.
        let half = NodeCodec.encodeLeaf(keys: Array(first.keys.prefix(first.count / 2)), values: Array(first.values.prefix(first.count / 2)))
        #expect(throws: ProllyError.self) { try NodeValidation.validate(bytes: half, cid: CID(hashing: half)) }
        _ = try NodeValidation.validate(bytes: half, cid: CID(hashing: half), isRightmost: true)
        // Bytes that do not hash to the CID.
        #expect(throws: ProllyError.self) { try NodeValidation.validate(bytes: half, cid: first.cid) }
        // A branch whose count lies about its child.
        var counts = root.counts
        counts[0] += 1
        let lying = NodeCodec.encodeBranch(level: root.level, keys: root.keys, children: root.children, counts: counts)
        let lyingBlock = Block(bytes: lying)
        store.put(lyingBlock)
        #expect(throws: ProllyError.self) { try ProllyTree(root: lyingBlock.cid, storage: storage).validate() }
        // A branch whose key is not its child's last key.
        var keys = root.keys
        keys[0] = keys[0] + [0]
        let wrongKey = NodeCodec.encodeBranch(level: root.level, keys: keys, children: root.children, counts: root.counts)
        let wrongBlock = Block(bytes: wrongKey)
        store.put(wrongBlock)
        #expect(throws: ProllyError.self) { try ProllyTree(root: wrongBlock.cid, storage: storage).validate() }
    }

    func keys(count: Int, length: Int, seed: UInt64, where accept: (UInt64) -> Bool) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        var out: [[UInt8]] = []
        while out.count < count {
            let key = rng.bytes(length)
            if accept(XXHash64.hash(key, seed: 0) >> 16) { out.append(key) }
        }
        return out.sorted(by: KeyOrder.less)
    }

    func checkCaps(_ tree: ProllyTree) throws {
        try tree.validate()
        for node in try allNodes(tree) {
            let payload = (0..<node.count).reduce(0) { $0 + node.width(at: $1) }
            let widest = (0..<node.count).map { node.width(at: $0) }.max() ?? 0
            #expect(payload < Int(Chunker.forcedSize) + widest)
            #expect(node.byteCount <= ProllyLimits.maxNodeSize)
        }
    }

    @Test func keysThatNeverFireStayWithinTheForcedSize() throws {
        let (storage, _) = makeStorage()
        // Hashes in the top 1/256 of the range: the rule never fires below about 11 KB.
        let never = keys(count: 3000, length: 40, seed: 1) { $0 > (UInt64(1) << 48) - (UInt64(1) << 40) }
        let tree = try ProllyTree.build(sorted: never.map { ProllyEntry(key: $0, value: .null) }, in: storage)
        try checkCaps(tree)
        let leaves = try tree.stats().levels[0]
        // 41-byte entries: the rule cannot fire before about 12 KB of payload.
        #expect(leaves.maxBytes > 10_000)
        // Long keys and values push whole entries past the forced size.
        let long = keys(count: 300, length: 1024, seed: 2) { $0 > (UInt64(1) << 48) - (UInt64(1) << 40) }
        let big = try ProllyTree.build(sorted: long.map { ProllyEntry(key: $0, value: .bytes(Array(repeating: 2, count: 1024))) }, in: storage)
        try checkCaps(big)
    }

    @Test func keysThatAlwaysFireKeepNodesAtTheMinimum() throws {
        let (storage, _) = makeStorage()
        let always = keys(count: 600, length: 16, seed: 3) { $0 < (UInt64(1) << 38) }
        let value = ProllyValue.bytes(Array(repeating: 3, count: 400))
        let tree = try ProllyTree.build(sorted: always.map { ProllyEntry(key: $0, value: value) }, in: storage)
        try checkCaps(tree)
        let leaves = try tree.stats().levels[0]
        // 419-byte entries: every leaf closes at its second entry (s0 419, s1 838, s1^4 - s0^4 > 2^38).
        #expect(leaves.nodes == 300)
        let huge = keys(count: 400, length: 1024, seed: 4) { $0 < (UInt64(1) << 40) }
        let single = try ProllyTree.build(sorted: huge.map { ProllyEntry(key: $0, value: .null) }, in: storage)
        try checkCaps(single)
        #expect(try single.stats().levels[0].nodes == 400)
        #expect(try single.height() <= ProllyLimits.maxHeight)
    }
}
