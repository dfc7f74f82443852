import EngramIPLD
import EngramStorage
import PropertyBased
import Testing
@testable import EngramProlly

/// A node an edit builds (entries copied as byte ranges into a `NodeBuffer`) and the same node
/// decoded from its bytes must be one thing: same bytes, same offset table, same entries.
@Suite struct NodeLayoutTests {
    /// Lengths around the CBOR header steps (1, 2 and 3 bytes) and the limits.
    static let lengths = [0, 1, 23, 24, 37, 255, 256, 700, 1024]

    static func key(_ rng: inout SplitMix64) -> [UInt8] {
        // Mostly short keys so batches hit existing ones; some long ones for wide headers.
        rng.next() % 4 == 0 ? rng.bytes(lengths[Int(rng.next() % UInt64(lengths.count))]) : [UInt8(rng.next() % 64)] + rng.bytes(2)
    }

    static func value(_ rng: inout SplitMix64) -> ProllyValue {
        switch rng.next() % 5 {
        case 0: .null
        case 1: .link(CID(hashing: rng.bytes(4)))
        case 2: .link(CID(hashing: rng.bytes(4), function: .blake2b_256))
        default: .bytes(rng.bytes(lengths[Int(rng.next() % UInt64(lengths.count))]))
        }
    }

    /// The node's layout equals its decoding's, field by field.
    static func expectLaidOutAsDecoded(_ node: ProllyNode) throws {
        let decoded = try NodeCodec.decode(node.bytes, cid: node.cid)
        #expect(try node.cid.verify(node.bytes))
        #expect(node.offsets == decoded.offsets, "node \(node.cid) at level \(node.level)")
        #expect(node.keyItemsStart == decoded.keyItemsStart)
        #expect(node.count == decoded.count && node.level == decoded.level && node.entryCount == decoded.entryCount)
    }

    @Test func editedNodesAreLaidOutAsDecodedOnes() async throws {
        await propertyCheck(count: 8, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            // blake2b-256 CIDs have a two-byte hash code: child links take the general parser.
            for function in [HashFunction.sha2_256, .blake2b_256] {
                let storage = ProllyStorage(blocks: MemoryBlockStore(), hashFunction: function, cache: NodeCache(capacity: 1 << 14))
                var tree = try ProllyTree.empty(in: storage)
                var model = Model()
                for round in 0..<6 {
                    let batch: [ProllyMutation] = (0..<(1 + Int(rng.next() % 800))).map { _ in
                        rng.next() % 5 == 0 ? .remove(key: Self.key(&rng)) : .upsert(key: Self.key(&rng), value: Self.value(&rng))
                    }
                    tree = try tree.applying(batch)
                    model.apply(batch)
                    // The cache hands out the nodes the edits built, not decodings.
                    for node in try allNodes(tree) { try Self.expectLaidOutAsDecoded(node) }
                    #expect(try tree.collect() == model.sorted, "round \(round), \(function)")
                    #expect(try tree.count() == UInt64(model.map.count))
                    try tree.validate()
                    #expect(tree.root == (try ProllyTree.build(sorted: model.sorted, in: storage)).root)
                }
            }
        }
    }

    @Test func accessorsReadTheEncodedEntries() throws {
        let sha = CID(hashing: [1])
        let blake = CID(hashing: [2], function: .blake2b_256)
        let keys: [[UInt8]] = [[], [0], Array(repeating: 1, count: 24), Array(repeating: 2, count: 300)]
        let values: [ProllyValue] = [.null, .bytes(Array(repeating: 9, count: 256)), .link(sha), .link(blake)]
        let leafBytes = NodeCodec.encodeLeaf(keys: keys, values: values)
        let leaf = try NodeCodec.decode(leafBytes, cid: CID(hashing: leafBytes))
        #expect(leaf.keys == keys && leaf.values == values)
        #expect((0..<4).map { leaf.width(at: $0) } == zip(keys, values).map { $0.count + $1.encodedLength })
        #expect(leaf.lastKey == keys[3] && leaf.position(of: keys[2]) == 2 && leaf.position(of: [5]) == nil)
        #expect(leaf.hasSamePayload(at: 2, as: leaf, at: 2) && !leaf.hasSamePayload(at: 2, as: leaf, at: 3))

        let counts: [UInt64] = [1, 23, 24, 1 << 40]
        let branchBytes = NodeCodec.encodeBranch(level: 3, keys: keys, children: [sha, blake, sha, blake], counts: counts)
        let branch = try NodeCodec.decode(branchBytes, cid: CID(hashing: branchBytes))
        #expect(branch.children == [sha, blake, sha, blake] && branch.counts == counts && branch.keys == keys)
        #expect(branch.entryCount == counts.reduce(0, +))
        #expect((0..<4).map { branch.width(at: $0) } == keys.indices.map { keys[$0].count + [sha, blake][$0 % 2].encodedLength })
        #expect(branch.childIndex(for: [0, 0]) == 2 && branch.childIndex(for: [0xff]) == 3)
    }
}
