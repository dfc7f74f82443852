import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

/// Blocks put by hand and read as tree nodes: each is written field by field with the DAG-CBOR
/// writer (not the node encoder), so it can break what only a parent can vouch for (level,
/// emptiness, counts) or what decoding checks (list lengths, the height limit). Every read path
/// must throw ``ProllyError/invalidNode(_:reason:)``: never trap, never answer from the lie.
@Suite struct CraftedNodeTests {
    static func leaf(_ keys: [String], values: Int? = nil) -> [UInt8] {
        var w = DAGCBORWriter()
        w.beginMap(count: 3)
        w.writeString("k")
        w.beginList(count: keys.count)
        for k in keys { w.writeBytes(Array(k.utf8)) }
        w.writeString("l")
        w.writeUInt(0)
        w.writeString("v")
        w.beginList(count: values ?? keys.count)
        for i in 0..<(values ?? keys.count) { w.writeBytes([UInt8(i), 0xff, 0x00]) }
        return w.bytes
    }

    static func branch(level: UInt64, _ keys: [String], children: [CID], counts: [UInt64]) -> [UInt8] {
        var w = DAGCBORWriter()
        w.beginMap(count: 4)
        w.writeString("c")
        w.beginList(count: children.count)
        for c in children { w.writeLink(c) }
        w.writeString("k")
        w.beginList(count: keys.count)
        for k in keys { w.writeBytes(Array(k.utf8)) }
        w.writeString("l")
        w.writeUInt(level)
        w.writeString("n")
        w.beginList(count: counts.count)
        for n in counts { w.writeUInt(n) }
        return w.bytes
    }

    let store = MemoryBlockStore()

    func put(_ bytes: [UInt8]) -> CID {
        let block = Block(bytes: bytes)
        store.put(block)
        return block.cid
    }

    /// Two well-formed leaves: ("a", "b") and ("c", "d").
    func leaves() -> (CID, CID) { (put(Self.leaf(["a", "b"])), put(Self.leaf(["c", "d"]))) }

    /// Runs every read path over the tree at `root`, each on a fresh node cache (so no path is
    /// answered from nodes another one loaded), and expects `invalidNode` from each.
    func expectInvalid(root: CID, probe: String, index: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        let key = Array(probe.utf8)
        func tree() -> ProllyTree { ProllyTree(root: root, storage: ProllyStorage(blocks: store, cache: NodeCache(capacity: 64))) }
        let paths: [(String, (ProllyTree) throws(ProllyError) -> Void)] = [
            ("collect", { (t) throws(ProllyError) in _ = try t.collect() }),
            ("cursor backward", { (t) throws(ProllyError) in
                var c = ProllyCursor(tree: t)
                try c.seekToLast()
                while try c.movePrevious() {}
            }),
            ("get", { (t) throws(ProllyError) in _ = try t.get(key) }),
            ("rank", { (t) throws(ProllyError) in _ = try t.rank(of: key) }),
            ("select", { (t) throws(ProllyError) in _ = try t.select(index) }),
            ("stats", { (t) throws(ProllyError) in _ = try t.stats() }),
            ("diff", { (t) throws(ProllyError) in
                let other = try ProllyTree.empty(in: t.storage)
                var d = try t.diff(to: other)
                _ = try d.collect()
            }),
            ("insert", { (t) throws(ProllyError) in _ = try t.inserting(key, .null) }),
            ("validate", { (t) throws(ProllyError) in try t.validate() }),
        ]
        for (name, path) in paths {
            do {
                try path(tree())
                Issue.record("\(name) accepted the crafted tree", sourceLocation: sourceLocation)
            } catch {
                guard case .invalidNode = error else {
                    Issue.record("\(name): \(error), not invalidNode", sourceLocation: sourceLocation)
                    continue
                }
            }
        }
    }

    /// Bytes that are not DAG-CBOR are `invalidNode` with the decoder's error kept as the cause.
    @Test func bytesThatAreNotDAGCBORKeepTheDecodersError() throws {
        let bytes: [UInt8] = [0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x00]   // map keys out of order
        let cid = CID(hashing: bytes, codec: .dagCBOR)
        do {
            _ = try NodeCodec.decode(bytes, cid: cid)
            Issue.record("decoded")
        } catch {
            guard case .invalidNode(cid, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.cause is DAGCBORError)
            #expect(reason.description == reason.cause.map { "\($0)" })
        }
    }

    @Test func emptyLeafUnderABranch() {
        let (a, _) = leaves()
        let empty = put(NodeCodec.emptyLeaf)
        // The empty leaf is the last child (counts must be positive, so its count lies too).
        expectInvalid(root: put(Self.branch(level: 1, ["b", "c"], children: [a, empty], counts: [2, 1])), probe: "c", index: 2)
        expectInvalid(root: put(Self.branch(level: 1, ["a", "b"], children: [empty, a], counts: [1, 2])), probe: "a", index: 0)
    }

    @Test func childAtTheWrongLevel() {
        let (a, c) = leaves()
        // Leaves under a level-2 branch.
        expectInvalid(root: put(Self.branch(level: 2, ["b", "d"], children: [a, c], counts: [2, 2])), probe: "a", index: 0)
        // A level-1 branch under a level-1 branch, and a level-3 branch under a level-2 one.
        let mid = put(Self.branch(level: 1, ["b"], children: [a], counts: [2]))
        expectInvalid(root: put(Self.branch(level: 1, ["b", "d"], children: [mid, c], counts: [2, 2])), probe: "a", index: 0)
        let high = put(Self.branch(level: 3, ["b"], children: [mid], counts: [2]))
        expectInvalid(root: put(Self.branch(level: 2, ["b", "d"], children: [high, mid], counts: [2, 2])), probe: "a", index: 1)
    }

    @Test func lyingChildCounts() {
        let (a, c) = leaves()
        // Too many: `select(4)` would index entry 4 of a two-entry leaf.
        expectInvalid(root: put(Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [5, 2])), probe: "a", index: 4)
        // Too few, and a huge count (the sum still fits in 64 bits).
        expectInvalid(root: put(Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [1, 2])), probe: "a", index: 0)
        expectInvalid(root: put(Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [2, .max - 2])), probe: "c", index: 3)
        // One level up: the level-1 child holds 4 entries, the root says 3.
        let mid = put(Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [2, 2]))
        let e = put(Self.leaf(["e", "f"]))
        expectInvalid(root: put(Self.branch(level: 2, ["d", "f"], children: [mid, e], counts: [3, 2])), probe: "b", index: 2)
    }

    @Test func mismatchedListLengths() {
        let (a, c) = leaves()
        let roots = [
            Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [2]),  // n shorter than c
            Self.branch(level: 1, ["b"], children: [a, c], counts: [2, 2]),  // k shorter than c
            Self.branch(level: 1, ["b", "d"], children: [a], counts: [2, 2]),  // c shorter than k
            Self.leaf(["a", "b", "c"], values: 2),  // v shorter than k
            Self.leaf(["a"], values: 2),  // v longer than k
        ]
        for root in roots { expectInvalid(root: put(root), probe: "a", index: 0) }
        // The same damage in a child rather than the root.
        let bad = put(Self.leaf(["c", "d"], values: 1))
        expectInvalid(root: put(Self.branch(level: 1, ["b", "d"], children: [a, bad], counts: [2, 2])), probe: "c", index: 2)
    }

    @Test func levelAboveTheHeightLimit() {
        let (a, c) = leaves()
        for level in [UInt64(ProllyLimits.maxHeight), 1 << 40, .max] {
            expectInvalid(root: put(Self.branch(level: level, ["b", "d"], children: [a, c], counts: [2, 2])), probe: "a", index: 0)
        }
    }

    /// The same leaves under an honest branch read back: the checks reject only the lies.
    @Test func anHonestCraftedTreeReads() throws {
        let (a, c) = leaves()
        let root = put(Self.branch(level: 1, ["b", "d"], children: [a, c], counts: [2, 2]))
        let tree = ProllyTree(root: root, storage: ProllyStorage(blocks: store))
        #expect(try tree.collect().map { String(decoding: $0.key, as: UTF8.self) } == ["a", "b", "c", "d"])
        #expect(try tree.select(3).key == Array("d".utf8))
        #expect(try tree.rank(of: Array("c".utf8)) == 2)
        #expect(try tree.get(Array("c".utf8)) == .bytes([0, 0xff, 0]))
        #expect(try tree.stats().levels.map(\.nodes) == [2, 1])
    }
}
