import EngramIPLD

/// The entries of a node being assembled, kept as the encoded items of its lists end to end
/// (keys as DAG-CBOR byte strings; leaf values or branch child links; branch counts), so
/// entries copied from a decoded node are byte ranges, and the node's encoding is the lists'
/// headers around these buffers.
struct NodeBuffer {
    private(set) var level: Int
    /// The `k` list's items.
    var keyItems = DAGCBORWriter(capacity: 0)
    /// Per entry, where its key (without header) starts and ends in `keyItems`.
    var keyBounds: [UInt32] = []
    /// The `v` list's items (leaf) or the `c` list's (branch).
    var payloadItems = DAGCBORWriter(capacity: 0)
    /// Where payload `i` ends in `payloadItems` is `payloadEnds[i]`.
    var payloadEnds: [UInt32] = []
    /// Branch: the `n` list's items, and where each ends.
    var countItems = DAGCBORWriter(capacity: 0)
    var countEnds: [UInt32] = []
    /// Entries under the node.
    private(set) var entryCount: UInt64 = 0

    init(level: Int, capacity: Int = 0) {
        self.level = level
        guard capacity > 0 else { return }
        keyItems.bytes.reserveCapacity(capacity * 24)
        keyBounds.reserveCapacity(2 * capacity)
        payloadItems.bytes.reserveCapacity(capacity * 48)
        payloadEnds.reserveCapacity(capacity)
        countItems.bytes.reserveCapacity(capacity * 3)
        countEnds.reserveCapacity(capacity)
    }

    var count: Int { payloadEnds.count }
    var isEmpty: Bool { payloadEnds.isEmpty }

    /// Branch child `i`, read back from its link item.
    func child(at i: Int) -> CID {
        let start = i == 0 ? 0 : Int(payloadEnds[i - 1])
        return payloadItems.bytes.withUnsafeBytes {
            ProllyNode.link(in: UnsafeRawBufferPointer(rebasing: $0[start..<Int(payloadEnds[i])]))
        }
    }

    /// Forgets the entries, keeping the buffers' capacity; the next entries are at `level`.
    mutating func removeAll(level: Int) {
        self.level = level
        keyItems.bytes.removeAll(keepingCapacity: true)
        keyBounds.removeAll(keepingCapacity: true)
        payloadItems.bytes.removeAll(keepingCapacity: true)
        payloadEnds.removeAll(keepingCapacity: true)
        countItems.bytes.removeAll(keepingCapacity: true)
        countEnds.removeAll(keepingCapacity: true)
        entryCount = 0
    }

    private mutating func appendKey(_ key: UnsafeRawBufferPointer) {
        keyItems.writeBytes(key)
        keyBounds.append(UInt32(truncatingIfNeeded: keyItems.bytes.count - key.count))
        keyBounds.append(UInt32(truncatingIfNeeded: keyItems.bytes.count))
    }

    /// Appends a leaf entry; returns its chunking width.
    mutating func append(key: UnsafeRawBufferPointer, value: ProllyValue) -> Int {
        appendKey(key)
        let start = payloadItems.bytes.count
        value.write(to: &payloadItems)
        payloadEnds.append(UInt32(truncatingIfNeeded: payloadItems.bytes.count))
        entryCount += 1
        return key.count + payloadItems.bytes.count - start
    }

    /// Appends a branch entry; returns its chunking width.
    mutating func append(key: UnsafeRawBufferPointer, child: CID, count: UInt64) -> Int {
        appendKey(key)
        payloadItems.writeLink(child)
        payloadEnds.append(UInt32(truncatingIfNeeded: payloadItems.bytes.count))
        countItems.writeUInt(count)
        countEnds.append(UInt32(truncatingIfNeeded: countItems.bytes.count))
        entryCount += count
        return key.count + child.encodedLength
    }

    /// Appends entries `range` (not empty) of `node`, a node of this level, copying their
    /// encoded bytes; returns their chunking width.
    mutating func append(_ range: Range<Int>, of node: ProllyNode) -> Int {
        let n = node.count
        let keysFrom = node.keyItemStart(range.lowerBound)
        let keysTo = Int(node.offsets[2 * range.upperBound - 1])
        // Offsets shifted from the node to this buffer; UInt32 arithmetic wraps consistently.
        let shift = UInt32(truncatingIfNeeded: keyItems.bytes.count &- keysFrom)
        var width = 0
        node.offsets.withUnsafeBufferPointer { o in
            for i in 2 * range.lowerBound..<2 * range.upperBound { keyBounds.append(o[i] &+ shift) }
        }
        for i in range { width += node.width(at: i) }
        node.bytes.withUnsafeBytes { b in
            keyItems.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[keysFrom..<keysTo]))
        }
        Self.appendItems(range, list: 2 * n, of: node, to: &payloadItems, ends: &payloadEnds)
        if level == 0 {
            entryCount += UInt64(range.count)
        } else {
            Self.appendItems(range, list: 3 * n + 1, of: node, to: &countItems, ends: &countEnds)
            for i in range { entryCount += node.childEntryCount(at: i) }
        }
        return width
    }

    /// Copies items `range` of the item list whose bounds start at `offsets[list]` in `node`.
    private static func appendItems(_ range: Range<Int>, list: Int, of node: ProllyNode,
                                    to items: inout DAGCBORWriter, ends: inout [UInt32]) {
        node.offsets.withUnsafeBufferPointer { o in
            let from = o[list + range.lowerBound]
            let shift = UInt32(truncatingIfNeeded: items.bytes.count) &- from
            for i in range { ends.append(o[list + i + 1] &+ shift) }
            node.bytes.withUnsafeBytes { b in
                items.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[Int(from)..<Int(o[list + range.upperBound])]))
            }
        }
    }

    /// The encoding (SPEC.md 6.3), and where its key, payload and count items start.
    func encode() -> (bytes: [UInt8], keysAt: Int, payloadsAt: Int, countsAt: Int) {
        let n = count
        var writer = DAGCBORWriter(capacity: 24 + keyItems.bytes.count + payloadItems.bytes.count + countItems.bytes.count)
        if level == 0 {
            writer.bytes.append(contentsOf: [0xa3, 0x61, 0x6b] as [UInt8])
            writer.beginList(count: n)
            let keysAt = writer.bytes.count
            writer.bytes.append(contentsOf: keyItems.bytes)
            writer.bytes.append(contentsOf: [0x61, 0x6c, 0x00, 0x61, 0x76] as [UInt8])
            writer.beginList(count: n)
            let payloadsAt = writer.bytes.count
            writer.bytes.append(contentsOf: payloadItems.bytes)
            return (writer.bytes, keysAt, payloadsAt, writer.bytes.count)
        }
        writer.bytes.append(contentsOf: [0xa4, 0x61, 0x63] as [UInt8])
        writer.beginList(count: n)
        let payloadsAt = writer.bytes.count
        writer.bytes.append(contentsOf: payloadItems.bytes)
        writer.bytes.append(contentsOf: [0x61, 0x6b] as [UInt8])
        writer.beginList(count: n)
        let keysAt = writer.bytes.count
        writer.bytes.append(contentsOf: keyItems.bytes)
        writer.bytes.append(contentsOf: [0x61, 0x6c] as [UInt8])
        writer.writeUInt(UInt64(level))
        writer.bytes.append(contentsOf: [0x61, 0x6e] as [UInt8])
        writer.beginList(count: n)
        let countsAt = writer.bytes.count
        writer.bytes.append(contentsOf: countItems.bytes)
        return (writer.bytes, keysAt, payloadsAt, countsAt)
    }

    /// The node: encoded, hashed with `hashFunction`, with its offset table.
    func node(hashFunction: HashFunction) -> ProllyNode {
        let (bytes, keysAt, payloadsAt, countsAt) = encode()
        let n = count
        let size = level == 0 ? 3 * n + 1 : 4 * n + 2
        let offsets = [UInt32](unsafeUninitializedCapacity: size) { out, initialized in
            func fill(_ at: Int, _ values: [UInt32], plus base: Int) {
                let shift = UInt32(truncatingIfNeeded: base)
                for (k, v) in values.enumerated() { out[at + k] = v &+ shift }
            }
            fill(0, keyBounds, plus: keysAt)
            out[2 * n] = UInt32(truncatingIfNeeded: payloadsAt)
            fill(2 * n + 1, payloadEnds, plus: payloadsAt)
            if level > 0 {
                out[3 * n + 1] = UInt32(truncatingIfNeeded: countsAt)
                fill(3 * n + 2, countEnds, plus: countsAt)
            }
            initialized = size
        }
        return ProllyNode(level: level, bytes: bytes, offsets: offsets, keyItemsStart: keysAt, count: n,
                          cid: CID(hashing: bytes, codec: .dagCBOR, function: hashFunction), entryCount: entryCount)
    }
}
