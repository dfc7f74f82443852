import EngramIPLD
import EngramStore

/// A node being filled at one level: its entries so far and the chunker that says where it closes.
struct PendingNode {
    let level: Int
    var chunker: Chunker
    var keys: [[UInt8]] = []
    var values: [ProllyValue] = []
    var children: [CID] = []
    var counts: [UInt64] = []
    var payload = 0
    var total: UInt64 = 0
    /// Capacity to reserve for the next node after a close (0: let arrays grow when used).
    var reserveOnClose = true

    init(level: Int, capacity: Int = 0) {
        self.level = level
        self.chunker = Chunker(level: level)
        keys.reserveCapacity(capacity)
        if level == 0 {
            values.reserveCapacity(capacity)
        } else {
            children.reserveCapacity(capacity)
            counts.reserveCapacity(capacity)
        }
    }

    var isEmpty: Bool { keys.isEmpty }

    /// Adds a leaf entry; true when the rule closes the node after it.
    mutating func append(key: [UInt8], value: ProllyValue) -> Bool {
        let width = key.count + value.encodedLength
        keys.append(key)
        values.append(value)
        payload += width
        total += 1
        return chunker.append(key: key, width: width)
    }

    /// Adds a branch entry; true when the rule closes the node after it.
    mutating func append(key: [UInt8], child: CID, count: UInt64) -> Bool {
        let width = key.count + child.encodedLength
        keys.append(key)
        children.append(child)
        counts.append(count)
        payload += width
        total += count
        return chunker.append(key: key, width: width)
    }

    /// Adds an entry of either kind.
    mutating func append(_ entry: LevelEntry) -> Bool {
        switch entry.payload {
        case .value(let v): append(key: entry.key, value: v)
        case .child(let c, let n): append(key: entry.key, child: c, count: n)
        }
    }

    /// Adds entries `range` of `node` (at this level) without running the rule over them: the
    /// caller knows none of them ended a node (they precede the node's last entry and follow a
    /// boundary, exactly as when `node` was built).
    mutating func appendRun(of node: ProllyNode, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        keys.append(contentsOf: node.keys[range])
        var width = 0
        if level == 0 {
            values.append(contentsOf: node.values[range])
            for i in range { width += node.keys[i].count + node.values[i].encodedLength }
            total += UInt64(range.count)
        } else {
            children.append(contentsOf: node.children[range])
            counts.append(contentsOf: node.counts[range])
            for i in range {
                width += node.keys[i].count + node.children[i].encodedLength
                total += node.counts[i]
            }
        }
        payload += width
        chunker.skip(width: width, count: range.count)
    }

    /// Encodes the node, hashes it and starts an empty one.
    mutating func close(hashFunction: HashFunction) -> ProllyNode {
        let bytes = level == 0
            ? NodeCodec.encodeLeaf(keys: keys, values: values, payloadHint: payload)
            : NodeCodec.encodeBranch(level: level, keys: keys, children: children, counts: counts, payloadHint: payload)
        let cid = CID(hashing: bytes, codec: .dagCBOR, function: hashFunction)
        let node = ProllyNode(level: level, keys: keys, values: values, children: children, counts: counts,
                              cid: cid, byteCount: bytes.count, entryCount: total)
        lastBytes = bytes
        let reserve = reserveOnClose ? keys.count : 0
        keys = []
        keys.reserveCapacity(reserve)
        if level == 0 {
            values = []
            values.reserveCapacity(reserve)
        } else {
            children = []
            counts = []
            children.reserveCapacity(reserve)
            counts.reserveCapacity(reserve)
        }
        payload = 0
        total = 0
        chunker.reset()
        return node
    }

    /// The bytes of the node last closed.
    var lastBytes: [UInt8] = []
}

/// An entry at some level: a leaf value or a child reference.
struct LevelEntry {
    enum Payload: Equatable {
        case value(ProllyValue)
        case child(CID, UInt64)
    }
    var key: [UInt8]
    var payload: Payload

    init(key: [UInt8], payload: Payload) {
        self.key = key
        self.payload = payload
    }
}

/// Levels of pending nodes from `base` upward: entries go in at the base, closed nodes become
/// entries of the level above. Memory is one node per level, whatever the entry count.
struct LevelStack {
    let hashFunction: HashFunction
    let base: Int
    var levels: [PendingNode] = []
    var emitted: [Int] = []
    /// Nodes closed and not yet drained.
    var blocks: [Block] = []
    var nodes: [ProllyNode] = []
    var keepNodes: Bool

    init(base: Int, hashFunction: HashFunction, keepNodes: Bool) {
        self.base = base
        self.hashFunction = hashFunction
        self.keepNodes = keepNodes
        levels = [PendingNode(level: base)]
        emitted = [0]
    }

    /// Appends an entry at level `base + index`.
    mutating func append(_ entry: LevelEntry, at index: Int = 0) throws(ProllyError) {
        if levels[index].append(entry) { try emit(index) }
    }

    mutating func appendLeaf(key: [UInt8], value: ProllyValue) throws(ProllyError) {
        if levels[0].append(key: key, value: value) { try emit(0) }
    }

    mutating func emit(_ index: Int) throws(ProllyError) {
        // Level `maxHeight` may collect entries (a single one leaves its child as the root) but
        // never closes a node: that would make the tree one level too tall.
        guard base + index < ProllyLimits.maxHeight else { throw .heightLimitExceeded(base + index + 1) }
        let node = levels[index].close(hashFunction: hashFunction)
        blocks.append(Block(unchecked: node.cid, bytes: levels[index].lastBytes))
        if keepNodes { nodes.append(node) }
        emitted[index] += 1
        if index + 1 == levels.count {
            levels.append(PendingNode(level: base + index + 1))
            emitted.append(0)
        }
        try append(LevelEntry(key: node.keys[node.keys.count - 1], payload: .child(node.cid, node.entryCount)), at: index + 1)
    }

    /// Closes every level and returns the root: the lowest level with a single node. Nil when
    /// nothing was appended.
    mutating func finish() throws(ProllyError) -> CID? {
        var index = 0
        while true {
            if index == levels.count - 1 && emitted[index] == 0 {
                let pending = levels[index]
                if pending.isEmpty { return nil }
                // A branch with one child is never a root: the child is.
                if pending.level > 0 && pending.keys.count == 1 { return pending.children[0] }
                guard pending.level < ProllyLimits.maxHeight else { throw .heightLimitExceeded(pending.level + 1) }
                let node = levels[index].close(hashFunction: hashFunction)
                blocks.append(Block(unchecked: node.cid, bytes: levels[index].lastBytes))
                if keepNodes { nodes.append(node) }
                return node.cid
            }
            if !levels[index].isEmpty { try emit(index) }
            index += 1
        }
    }
}
