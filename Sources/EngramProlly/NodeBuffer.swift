import EngramIPLD

/// The entries of a node being assembled, kept as the encoded items of its lists: keys as
/// DAG-CBOR byte strings end to end, leaf values as their DAG-CBOR items end to end, so entries
/// copied from a decoded node are byte ranges, and the node's encoding is the lists' headers
/// around these buffers.
struct NodeBuffer {
    var level: Int
    /// The `k` list's items.
    var keyItems = DAGCBORWriter(capacity: 0)
    /// Per entry, where its key (without header) starts and ends in `keyItems`.
    var keyBounds: [UInt32] = []
    /// Leaf: the `v` list's items.
    var valueItems = DAGCBORWriter(capacity: 0)
    /// Leaf: where value `i` ends in `valueItems` is `valueEnds[i]`.
    var valueEnds: [UInt32] = []
    /// Branch: the `c` list.
    var children: [CID] = []
    /// Branch: the `n` list.
    var counts: [UInt64] = []

    init(level: Int, capacity: Int = 0) {
        self.level = level
        reserve(capacity)
    }

    /// Room for `entries` entries of typical size.
    mutating func reserve(_ entries: Int) {
        guard entries > 0 else { return }
        keyItems.bytes.reserveCapacity(entries * 24)
        keyBounds.reserveCapacity(2 * entries)
        if level == 0 {
            valueItems.bytes.reserveCapacity(entries * 40)
            valueEnds.reserveCapacity(entries)
        } else {
            children.reserveCapacity(entries)
            counts.reserveCapacity(entries)
        }
    }

    var count: Int { keyBounds.count >> 1 }
    var isEmpty: Bool { keyBounds.isEmpty }

    /// Forgets the entries, keeping the buffers' capacity; the next entries are at `level`.
    mutating func removeAll(level: Int) {
        self.level = level
        keyItems.bytes.removeAll(keepingCapacity: true)
        keyBounds.removeAll(keepingCapacity: true)
        valueItems.bytes.removeAll(keepingCapacity: true)
        valueEnds.removeAll(keepingCapacity: true)
        children.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
    }

    mutating func appendKey(_ key: UnsafeRawBufferPointer) {
        keyItems.writeBytes(key)
        keyBounds.append(UInt32(truncatingIfNeeded: keyItems.bytes.count - key.count))
        keyBounds.append(UInt32(truncatingIfNeeded: keyItems.bytes.count))
    }

    /// Appends a leaf entry; returns its value's encoded length.
    mutating func append(key: UnsafeRawBufferPointer, value: ProllyValue) -> Int {
        appendKey(key)
        let start = valueItems.bytes.count
        value.write(to: &valueItems)
        valueEnds.append(UInt32(truncatingIfNeeded: valueItems.bytes.count))
        return valueItems.bytes.count - start
    }

    /// Appends a branch entry.
    mutating func append(key: UnsafeRawBufferPointer, child: CID, count: UInt64) {
        appendKey(key)
        children.append(child)
        counts.append(count)
    }

    /// Appends entries `range` of `node` (at this level), copying their encoded bytes; returns
    /// their chunking width and the entries under them.
    mutating func append(_ range: Range<Int>, of node: ProllyNode) -> (width: Int, entries: UInt64) {
        let first = range.lowerBound
        let last = range.upperBound - 1
        let keysFrom = node.keyItemStart(first)
        let keysTo = Int(node.offsets[2 * last + 1])
        // Node offsets shifted to this buffer; UInt32 arithmetic wraps consistently.
        let shift = UInt32(truncatingIfNeeded: keyItems.bytes.count &- keysFrom)
        var width = 0
        node.offsets.withUnsafeBufferPointer { o in
            for i in range {
                keyBounds.append(o[2 * i] &+ shift)
                keyBounds.append(o[2 * i + 1] &+ shift)
                width += Int(o[2 * i + 1] &- o[2 * i])
            }
        }
        node.bytes.withUnsafeBytes { b in
            keyItems.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[keysFrom..<keysTo]))
        }
        if level == 0 {
            let valuesFrom = node.valueItem(first).lowerBound
            let valuesTo = node.valueItem(last).upperBound
            let valueShift = UInt32(truncatingIfNeeded: valueItems.bytes.count &- valuesFrom)
            node.offsets.withUnsafeBufferPointer { o in
                for i in range { valueEnds.append(o[2 * node.count + i + 1] &+ valueShift) }
            }
            node.bytes.withUnsafeBytes { b in
                valueItems.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[valuesFrom..<valuesTo]))
            }
            return (width + valuesTo - valuesFrom, UInt64(range.count))
        }
        var entries: UInt64 = 0
        for i in range {
            width += node.children[i].encodedLength
            entries += node.counts[i]
        }
        children.append(contentsOf: node.children[range])
        counts.append(contentsOf: node.counts[range])
        return (width, entries)
    }

    /// The encoding (SPEC.md 6.3), and where its `k` items start.
    func encode() -> (bytes: [UInt8], keyItemsStart: Int) {
        let n = count
        if level == 0 {
            var writer = DAGCBORWriter(capacity: 16 + keyItems.bytes.count + valueItems.bytes.count)
            writer.bytes.append(contentsOf: [0xa3, 0x61, 0x6b] as [UInt8])
            writer.beginList(count: n)
            let keysAt = writer.bytes.count
            writer.bytes.append(contentsOf: keyItems.bytes)
            writer.bytes.append(contentsOf: [0x61, 0x6c, 0x00, 0x61, 0x76] as [UInt8])
            writer.beginList(count: n)
            writer.bytes.append(contentsOf: valueItems.bytes)
            return (writer.bytes, keysAt)
        }
        var writer = DAGCBORWriter(capacity: 32 + keyItems.bytes.count + 45 * n)
        writer.bytes.append(contentsOf: [0xa4, 0x61, 0x63] as [UInt8])
        writer.beginList(count: n)
        for child in children { writer.writeLink(child) }
        writer.bytes.append(contentsOf: [0x61, 0x6b] as [UInt8])
        writer.beginList(count: n)
        let keysAt = writer.bytes.count
        writer.bytes.append(contentsOf: keyItems.bytes)
        writer.bytes.append(contentsOf: [0x61, 0x6c] as [UInt8])
        writer.writeUInt(UInt64(level))
        writer.bytes.append(contentsOf: [0x61, 0x6e] as [UInt8])
        writer.beginList(count: n)
        for c in counts { writer.writeUInt(c) }
        return (writer.bytes, keysAt)
    }

    /// The node: encoded, hashed with `hashFunction`, with its offset table. `entryCount` is
    /// the entries under it (the caller keeps the sum).
    func node(hashFunction: HashFunction, entryCount: UInt64) -> ProllyNode {
        let (bytes, keysAt) = encode()
        let n = count
        let valuesAt = bytes.count - valueItems.bytes.count
        let offsets = [UInt32](unsafeUninitializedCapacity: level == 0 ? 3 * n + 1 : 2 * n) { out, initialized in
            let shift = UInt32(truncatingIfNeeded: keysAt)
            for i in 0..<2 * n { out[i] = keyBounds[i] &+ shift }
            if level == 0 {
                out[2 * n] = UInt32(truncatingIfNeeded: valuesAt)
                for i in 0..<n { out[2 * n + 1 + i] = valueEnds[i] &+ UInt32(truncatingIfNeeded: valuesAt) }
                initialized = 3 * n + 1
            } else {
                initialized = 2 * n
            }
        }
        return ProllyNode(level: level, bytes: bytes, offsets: offsets, keyItemsStart: keysAt, count: n,
                          children: level == 0 ? [] : children, counts: level == 0 ? [] : counts,
                          cid: CID(hashing: bytes, codec: .dagCBOR, function: hashFunction), entryCount: entryCount)
    }
}
