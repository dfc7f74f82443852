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
    /// encoded bytes: one copy per list, offsets shifted.
    mutating func append(_ range: Range<Int>, of node: ProllyNode) {
        let keysStart = node.keyItemStart(range.lowerBound)
        node.withView { v in
            let (low, high) = (range.lowerBound, range.upperBound)
            Self.append(v, from: keysStart, to: Int(v.offsets[2 * high - 1]), bounds: 2 * low..<2 * high, to: &keyItems, bounds: &keyBounds)
            let n = v.count
            Self.append(v, from: v.payloadStart(low), to: v.payloadStart(high), bounds: 2 * n + 1 + low..<2 * n + 1 + high,
                        to: &payloadItems, bounds: &payloadEnds)
            if v.isLeaf {
                entryCount += UInt64(range.count)
            } else {
                Self.append(v, from: v.countStart(low), to: v.countStart(high), bounds: 3 * n + 2 + low..<3 * n + 2 + high,
                            to: &countItems, bounds: &countEnds)
                for i in range { entryCount += v.childEntryCount(i) }
            }
        }
    }

    /// Copies bytes `from..<to` of a node to `items`, and its offsets `bounds` (which lie in
    /// those bytes) to `targetBounds`, shifted to where the bytes land.
    private static func append(_ v: NodeView, from: Int, to: Int, bounds: Range<Int>,
                               to items: inout DAGCBORWriter, bounds targetBounds: inout [UInt32]) {
        // UInt32 arithmetic wraps, so a shift down is an addition too.
        let shift = UInt32(truncatingIfNeeded: items.bytes.count &- from)
        let first = targetBounds.count
        targetBounds.append(contentsOf: UnsafeBufferPointer(rebasing: v.offsets[bounds]))
        targetBounds.withUnsafeMutableBufferPointer { b in
            for i in first..<b.count { b[i] &+= shift }
        }
        items.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: v.bytes[from..<to]))
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
