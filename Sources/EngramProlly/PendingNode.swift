import EngramIPLD

/// A node being filled at one level: its entries so far and the chunker that says where it closes.
struct PendingNode {
    var buffer: NodeBuffer
    var chunker: Chunker
    var payload = 0
    var total: UInt64 = 0

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
        payload = 0
        total = 0
    }

    /// Adds a leaf entry; true when the rule closes the node after it.
    mutating func append(key: [UInt8], value: ProllyValue) -> Bool {
        key.withUnsafeBytes { k in
            let width = k.count + buffer.append(key: k, value: value)
            return account(key: k, width: width, entries: 1)
        }
    }

    /// Adds a branch entry; true when the rule closes the node after it.
    mutating func append(key: UnsafeRawBufferPointer, child: CID, count: UInt64) -> Bool {
        buffer.append(key: key, child: child, count: count)
        return account(key: key, width: key.count + child.encodedLength, entries: count)
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

    /// Adds entry `i` of `node` (at this level), copying its bytes; true when the rule closes
    /// the node after it.
    mutating func append(_ i: Int, of node: ProllyNode) -> Bool {
        let (width, entries) = buffer.append(i..<i + 1, of: node)
        return node.withKey(at: i) { account(key: $0, width: width, entries: entries) }
    }

    /// Adds entries `range` of `node` (at this level) without running the rule over them: the
    /// caller knows none of them ended a node (they precede the node's last entry and follow a
    /// boundary, exactly as when `node` was built).
    mutating func appendRun(of node: ProllyNode, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let (width, entries) = buffer.append(range, of: node)
        payload += width
        total += entries
        chunker.skip(width: width, count: range.count)
    }

    mutating func account(key: UnsafeRawBufferPointer, width: Int, entries: UInt64) -> Bool {
        payload += width
        total += entries
        return chunker.append(key: key, width: width)
    }

    /// Encodes the node, hashes it and starts an empty one at the same level.
    mutating func close(hashFunction: HashFunction) -> ProllyNode {
        let node = buffer.node(hashFunction: hashFunction, entryCount: total)
        reset(level: level)
        return node
    }
}
