import EngramIPLD

/// Evidence that a key is in a tree with a given value, or is not in it: the encoded nodes on
/// the path from the root to the leaf the key belongs in. Checking it needs only the root CID.
public struct ProllyProof: Hashable, Sendable {
    /// The key proved.
    public var key: [UInt8]
    /// The node bytes from the root down to a leaf.
    public var nodes: [[UInt8]]

    /// A proof for `key`: the encoded nodes from the root down.
    public init(key: [UInt8], nodes: [[UInt8]]) {
        self.key = key
        self.nodes = nodes
    }

    /// The CIDs of the path's nodes (computed with each parent's link, so the first is `root`).
    public func cids(root: CID) throws(ProllyError) -> [CID] {
        var out: [CID] = []
        _ = try walk(root: root) { out.append($0) }
        return out
    }

    /// Checks the proof against `root`: the value of ``key`` (inclusion), or nil (exclusion).
    /// Throws when the proof does not hold.
    public func verify(root: CID) throws(ProllyError) -> ProllyValue? {
        try walk(root: root) { _ in }
    }

    func walk(root: CID, visit: (CID) -> Void) throws(ProllyError) -> ProllyValue? {
        guard !nodes.isEmpty else { throw .invalidProof(reason: "no nodes") }
        var expected = root
        var expectedLevel: Int? = nil
        var expectedLast: [UInt8]? = nil
        for (depth, bytes) in nodes.enumerated() {
            let matches: Bool
            do { matches = try expected.verify(bytes) } catch { throw .invalidProof(reason: .cause(error)) }
            guard matches else { throw .invalidProof(reason: "node \(depth) does not hash to \(expected)") }
            visit(expected)
            let node = try NodeCodec.decode(bytes, cid: expected)
            if let expectedLevel, node.level != expectedLevel {
                throw .invalidProof(reason: "node \(depth) is at level \(node.level), expected \(expectedLevel)")
            }
            if let expectedLast, node.lastKey != expectedLast {
                throw .invalidProof(reason: "node \(depth)'s last key does not match its parent")
            }
            if node.isLeaf {
                guard depth == nodes.count - 1 else { throw .invalidProof(reason: "nodes after the leaf") }
                return node.position(of: key).map { node.value(at: $0) }
            }
            let i = node.childIndex(for: key)
            expected = node.child(at: i)
            expectedLevel = node.level - 1
            expectedLast = node.key(at: i)
        }
        throw .invalidProof(reason: "the path ends before a leaf")
    }
}

extension ProllyTree {
    /// A proof that `key` is in the tree (with its value) or is not.
    public func proof(for key: [UInt8]) throws(ProllyError) -> ProllyProof {
        var nodes: [[UInt8]] = []
        var cid = root
        while true {
            nodes.append(try storage.bytes(cid))
            let node = try storage.node(cid)
            if node.isLeaf { return ProllyProof(key: key, nodes: nodes) }
            cid = node.child(at: node.childIndex(for: key))
        }
    }
}
