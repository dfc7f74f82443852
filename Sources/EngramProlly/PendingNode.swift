import EngramIPLD

/// A node being filled at one level: its entries so far and the chunker that says where it closes.
struct PendingNode {
    var buffer: NodeBuffer
    var chunker: Chunker

    init(level: Int, capacity: Int = 0) {
        buffer = NodeBuffer(level: level, capacity: capacity)
        chunker = Chunker(level: level)
    }

    var level: Int { buffer.level }
    var isEmpty: Bool { buffer.isEmpty }

    /// Empties the node and moves it to `level`, keeping its buffers for reuse.
    mutating func reset(level: Int) {
        buffer.removeAll(level: level)
        chunker = Chunker(level: level)
    }

    /// Adds a leaf entry; true when the rule closes the node after it.
    mutating func append(key: [UInt8], value: ProllyValue) -> Bool {
        key.withUnsafeBytes { chunker.append(key: $0, width: buffer.append(key: $0, value: value)) }
    }

    /// Adds a branch entry; true when the rule closes the node after it.
    mutating func append(key: UnsafeRawBufferPointer, child: CID, count: UInt64) -> Bool {
        chunker.append(key: key, width: buffer.append(key: key, child: child, count: count))
    }

    /// Adds an entry of either kind.
    mutating func append(key: [UInt8], payload: LevelEdit.Payload) -> Bool {
        switch payload {
        case .value(let v): append(key: key, value: v)
        case .child(let c, let n): key.withUnsafeBytes { append(key: $0, child: c, count: n) }
        }
    }

    /// Adds the branch entry for `node` (a node of the level below): its last key, CID and count.
    mutating func appendChild(_ node: ProllyNode) -> Bool {
        node.withKey(at: node.count - 1) { append(key: $0, child: node.cid, count: node.entryCount) }
    }

    /// Adds entries `range` of `node` (at this level) without running the rule over them: the
    /// caller knows none of them ended a node (they precede the node's last entry and follow a
    /// boundary, exactly as when `node` was built).
    mutating func appendRun(of node: ProllyNode, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        buffer.append(range, of: node)
        chunker.skip(width: node.withView { $0.width(of: range) }, count: range.count)
    }

    /// Adds entries of `node` (at this level) from `start` up to `end`, running the rule over
    /// each, and stops after one that closes the node. Returns where it stopped and whether the
    /// node closed there. The entries are copied in one run once the rule has had its say.
    mutating func appendChunked(of node: ProllyNode, from start: Int, to end: Int) -> (next: Int, closed: Bool) {
        var i = start
        var closed = false
        node.withView { v in
            while i < end && !closed {
                closed = chunker.append(key: v.key(i), width: v.width(i))
                i += 1
            }
        }
        if i > start { buffer.append(start..<i, of: node) }
        return (i, closed)
    }

    /// Encodes the node, hashes it and starts an empty one at the same level.
    mutating func close(hashFunction: HashFunction) -> ProllyNode {
        let node = buffer.node(hashFunction: hashFunction)
        reset(level: level)
        return node
    }
}
