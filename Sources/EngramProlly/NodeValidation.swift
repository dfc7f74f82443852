import EngramIPLD

/// Checks nodes received from elsewhere before they are trusted (DESIGN.md 4.3).
public enum NodeValidation {
    /// Validates a node on its own: its bytes hash to `cid`; it decodes as strict canonical
    /// DAG-CBOR in the node format (fields, list lengths, strictly increasing keys, key, value,
    /// level and size limits, positive counts); re-encoding gives the same bytes; and the chunking
    /// rule fires exactly at its last entry (or nowhere, for the rightmost node of a level).
    public static func validate(bytes: [UInt8], cid: CID, isRightmost: Bool = false) throws(ProllyError) -> ProllyNode {
        let matches: Bool
        do { matches = try cid.verify(bytes) } catch { throw .invalidNode(cid, reason: .cause(error)) }
        guard matches else { throw .invalidNode(cid, reason: "bytes do not hash to the CID") }
        let node = try NodeCodec.decode(bytes, cid: cid)
        let again = node.isLeaf
            ? NodeCodec.encodeLeaf(keys: node.keys, values: node.values)
            : NodeCodec.encodeBranch(level: node.level, keys: node.keys, children: node.children, counts: node.counts)
        guard again == bytes else { throw .invalidNode(cid, reason: "not the canonical encoding") }
        try checkChunking(node, isRightmost: isRightmost)
        return node
    }

    /// Re-runs the chunking rule over a node's entries: no boundary before the last entry, and
    /// one at the last entry unless the node is the rightmost of its level.
    public static func checkChunking(_ node: ProllyNode, isRightmost: Bool) throws(ProllyError) {
        var chunker = Chunker(level: node.level)
        for i in 0..<node.count {
            let fired = node.withKey(at: i) { chunker.append(key: $0, width: node.width(at: i)) }
            if fired && i < node.count - 1 {
                throw .invalidNode(node.cid, reason: "the chunking rule fires at entry \(i) of \(node.count), before the node's end")
            }
            if !fired && i == node.count - 1 && !isRightmost {
                throw .invalidNode(node.cid, reason: "the chunking rule does not fire at the last entry of a non-rightmost node")
            }
        }
    }
}

extension ProllyTree {
    /// Checks every node of the tree and how they fit together: each node valid on its own
    /// (with the rightmost nodes of each level known), child levels one below their parent,
    /// each parent key equal to its child's last key, each count equal to the child's entries,
    /// keys of each child above the previous child's last key, and a root that is not a branch
    /// of one child. Reads the whole tree: for tests and `fsck`, not hot paths.
    public func validate() throws(ProllyError) {
        let bytes = try storage.bytes(root)
        let node = try NodeValidation.validate(bytes: bytes, cid: root, isRightmost: true)
        if node.level > 0 && node.count < 2 { throw .invalidNode(root, reason: "a root branch with one child") }
        try validateChildren(of: node, lower: nil, rightmost: true)
    }

    func validateChildren(of node: ProllyNode, lower: [UInt8]?, rightmost: Bool) throws(ProllyError) {
        if let lower, node.count > 0, node.compareKey(at: 0, lower) <= 0 {
            throw .invalidNode(node.cid, reason: "first key not above the previous sibling's last key")
        }
        guard !node.isLeaf else { return }
        for i in 0..<node.count {
            let cid = node.child(at: i)
            let isRightmost = rightmost && i == node.count - 1
            let child = try NodeValidation.validate(bytes: storage.bytes(cid), cid: cid, isRightmost: isRightmost)
            guard child.level == node.level - 1 else { throw .invalidNode(cid, reason: "level \(child.level) under a level-\(node.level) branch") }
            guard child.lastKey == node.key(at: i) else { throw .invalidNode(node.cid, reason: "key \(i) is not its child's last key") }
            let count = node.childEntryCount(at: i)
            guard child.entryCount == count else { throw .invalidNode(node.cid, reason: "count \(i) is \(count), the child holds \(child.entryCount)") }
            try validateChildren(of: child, lower: i == 0 ? lower : node.key(at: i - 1), rightmost: isRightmost)
        }
    }
}
