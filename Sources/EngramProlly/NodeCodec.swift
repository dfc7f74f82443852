import EngramIPLD

/// Writes and reads the node format of DESIGN.md 4.2 with the typed DAG-CBOR calls, never
/// building an IPLD value.
///
/// Leaf: `{"k": [bytes...], "l": 0, "v": [value...]}`.
/// Branch: `{"c": [link...], "k": [bytes...], "l": level, "n": [count...]}`.
/// Map keys are one byte long, so canonical order is alphabetical.
public enum NodeCodec {
    /// The bytes of a leaf.
    public static func encodeLeaf(keys: [[UInt8]], values: [ProllyValue]) -> [UInt8] {
        var buffer = NodeBuffer(level: 0, capacity: keys.count)
        for (key, value) in zip(keys, values) { _ = key.withUnsafeBytes { buffer.append(key: $0, value: value) } }
        return buffer.encode().bytes
    }

    /// The bytes of a branch.
    public static func encodeBranch(level: Int, keys: [[UInt8]], children: [CID], counts: [UInt64]) -> [UInt8] {
        var buffer = NodeBuffer(level: level, capacity: keys.count)
        for i in keys.indices { _ = keys[i].withUnsafeBytes { buffer.append(key: $0, child: children[i], count: counts[i]) } }
        return buffer.encode().bytes
    }

    /// The bytes of the empty map: the leaf `{"k": [], "l": 0, "v": []}`.
    public static let emptyLeaf: [UInt8] = [0xa3, 0x61, 0x6b, 0x80, 0x61, 0x6c, 0x00, 0x61, 0x76, 0x80]

    /// Decodes a node and checks its structure: strict canonical DAG-CBOR, the field set, equal
    /// list lengths, strictly increasing keys, the key, value, level and size limits, and
    /// positive counts. (The chunking rule is checked by ``NodeValidation``.) The node keeps
    /// `bytes` and records where its keys and values lie in them; nothing is copied.
    public static func decode(_ bytes: [UInt8], cid: CID) throws(ProllyError) -> ProllyNode {
        guard bytes.count <= ProllyLimits.maxNodeSize else {
            throw .invalidNode(cid, reason: "\(bytes.count) bytes, over the \(ProllyLimits.maxNodeSize)-byte limit")
        }
        do {
            return try DAGCBOR.read(bytes) { (reader) throws(DAGCBORError) -> ProllyNode in
                try readNode(&reader, bytes: bytes, cid: cid)
            }
        } catch {
            throw .invalidNode(cid, reason: .cause(error))
        }
    }

    static func expectKey(_ reader: inout DAGCBORReader, _ name: UInt8) throws(DAGCBORError) {
        let start = reader.offset
        let key = try reader.readTextBytes()
        guard key.count == 1, key[0] == name else {
            throw DAGCBORError(.unexpectedType(expected: "field \"\(Character(Unicode.Scalar(name)))\"", found: "another field"), at: start)
        }
    }

    /// Reads the `n` keys of the `k` list (its header read), writing each key's start and end
    /// to `offsets[2i]` and `offsets[2i + 1]`.
    static func readKeys(_ reader: inout DAGCBORReader, count n: Int, into offsets: inout [UInt32]) throws(DAGCBORError) {
        var previous: UnsafeRawBufferPointer? = nil
        for i in 0..<n {
            let start = reader.offset
            let key = try reader.readBytes()
            guard key.count <= ProllyLimits.maxKeyLength else {
                throw DAGCBORError(.valueOutOfRange("key of \(key.count) bytes, over \(ProllyLimits.maxKeyLength)"), at: start)
            }
            if let previous, KeyOrder.compare(previous, key) >= 0 {
                throw DAGCBORError(.valueOutOfRange("keys not strictly increasing"), at: start)
            }
            previous = key
            offsets[2 * i] = UInt32(truncatingIfNeeded: reader.offset - key.count)
            offsets[2 * i + 1] = UInt32(truncatingIfNeeded: reader.offset)
        }
    }

    /// Reads one leaf value in place and checks it against the limits (naming key `i`).
    static func readValue(_ reader: inout DAGCBORReader, offsets: [UInt32], key i: Int) throws(DAGCBORError) {
        let start = reader.offset
        let isLink: Bool
        let length: Int
        switch reader.peekByte() {
        case 0xf6:
            _ = reader.readNullIfPresent()
            return
        case 0xd8:
            isLink = true
            length = try reader.readLink().encodedLength
        default:
            isLink = false
            length = try reader.readBytes().count
        }
        let buffer = reader.buffer
        let key = { Array(buffer[Int(offsets[2 * i])..<Int(offsets[2 * i + 1])]) }
        do {
            if isLink { try ProllyValue.checkLink(length: length, key: key()) } else { try ProllyValue.checkBytes(length: length, key: key()) }
        } catch {
            throw DAGCBORError(.valueOutOfRange(error.description), at: start)
        }
    }

    /// Reads a node into the layout of ``ProllyNode/offsets``.
    static func readNode(_ reader: inout DAGCBORReader, bytes: [UInt8], cid: CID) throws(DAGCBORError) -> ProllyNode {
        let start = reader.offset
        let fields = try reader.readMapHeader()
        if fields == 3 {
            try expectKey(&reader, 0x6b)
            let n = try reader.readListHeader()
            let keysAt = reader.offset
            var offsets = [UInt32](repeating: 0, count: 3 * n + 1)
            try readKeys(&reader, count: n, into: &offsets)
            try expectKey(&reader, 0x6c)
            let levelStart = reader.offset
            guard try reader.readUInt64() == 0 else {
                throw DAGCBORError(.valueOutOfRange("a leaf (3 fields) must have level 0"), at: levelStart)
            }
            try expectKey(&reader, 0x76)
            let listStart = reader.offset
            let valueCount = try reader.readListHeader()
            guard valueCount == n else {
                throw DAGCBORError(.valueOutOfRange("\(valueCount) values for \(n) keys"), at: listStart)
            }
            offsets[2 * n] = UInt32(truncatingIfNeeded: reader.offset)
            for i in 0..<n {
                try readValue(&reader, offsets: offsets, key: i)
                offsets[2 * n + 1 + i] = UInt32(truncatingIfNeeded: reader.offset)
            }
            return ProllyNode(level: 0, bytes: bytes, offsets: offsets, keyItemsStart: keysAt, count: n,
                              cid: cid, entryCount: UInt64(n))
        }
        guard fields == 4 else {
            throw DAGCBORError(.valueOutOfRange("a node has 3 (leaf) or 4 (branch) fields, not \(fields)"), at: start)
        }
        try expectKey(&reader, 0x63)
        let n = try reader.readListHeader()
        var offsets = [UInt32](repeating: 0, count: 4 * n + 2)
        offsets[2 * n] = UInt32(truncatingIfNeeded: reader.offset)
        for i in 0..<n {
            _ = try reader.readLink()
            offsets[2 * n + 1 + i] = UInt32(truncatingIfNeeded: reader.offset)
        }
        try expectKey(&reader, 0x6b)
        let keysStart = reader.offset
        guard try reader.readListHeader() == n, n > 0 else {
            throw DAGCBORError(.valueOutOfRange("a branch needs as many keys as children, at least one"), at: keysStart)
        }
        let keysAt = reader.offset
        try readKeys(&reader, count: n, into: &offsets)
        try expectKey(&reader, 0x6c)
        let levelStart = reader.offset
        let level = try reader.readUInt64()
        guard level >= 1, level < UInt64(ProllyLimits.maxHeight) else {
            throw DAGCBORError(.valueOutOfRange("branch level \(level) not in 1..<\(ProllyLimits.maxHeight)"), at: levelStart)
        }
        try expectKey(&reader, 0x6e)
        let countsStart = reader.offset
        guard try reader.readListHeader() == n else {
            throw DAGCBORError(.valueOutOfRange("counts do not match children"), at: countsStart)
        }
        offsets[3 * n + 1] = UInt32(truncatingIfNeeded: reader.offset)
        var total: UInt64 = 0
        for i in 0..<n {
            let countStart = reader.offset
            let c = try reader.readUInt64()
            let (sum, overflow) = total.addingReportingOverflow(c)
            guard c > 0, !overflow else {
                throw DAGCBORError(.valueOutOfRange("child count must be positive and sum within UInt64"), at: countStart)
            }
            total = sum
            offsets[3 * n + 2 + i] = UInt32(truncatingIfNeeded: reader.offset)
        }
        return ProllyNode(level: Int(level), bytes: bytes, offsets: offsets, keyItemsStart: keysAt, count: n,
                          cid: cid, entryCount: total)
    }
}
