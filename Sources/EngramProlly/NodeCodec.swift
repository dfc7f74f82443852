import EngramIPLD

/// Writes and reads the node format of DESIGN.md 4.2 with the typed DAG-CBOR calls, never
/// building an IPLD value.
///
/// Leaf: `{"k": [bytes...], "l": 0, "v": [value...]}`.
/// Branch: `{"c": [link...], "k": [bytes...], "l": level, "n": [count...]}`.
/// Map keys are one byte long, so canonical order is alphabetical.
public enum NodeCodec {
    /// The bytes of a leaf.
    @inlinable
    public static func encodeLeaf(keys: [[UInt8]], values: [ProllyValue], payloadHint: Int = 0) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: payloadHint + 3 * keys.count + 16)
        writer.bytes.append(0xa3)
        writer.bytes.append(contentsOf: [0x61, 0x6b] as [UInt8])
        writer.beginList(count: keys.count)
        for key in keys { writer.writeBytes(key) }
        writer.bytes.append(contentsOf: [0x61, 0x6c, 0x00] as [UInt8])
        writer.bytes.append(contentsOf: [0x61, 0x76] as [UInt8])
        writer.beginList(count: values.count)
        for value in values { value.write(to: &writer) }
        return writer.bytes
    }

    /// The bytes of a branch.
    @inlinable
    public static func encodeBranch(level: Int, keys: [[UInt8]], children: [CID], counts: [UInt64], payloadHint: Int = 0) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: payloadHint + 16 * keys.count + 16)
        writer.bytes.append(0xa4)
        writer.bytes.append(contentsOf: [0x61, 0x63] as [UInt8])
        writer.beginList(count: children.count)
        for child in children { writer.writeLink(child) }
        writer.bytes.append(contentsOf: [0x61, 0x6b] as [UInt8])
        writer.beginList(count: keys.count)
        for key in keys { writer.writeBytes(key) }
        writer.bytes.append(contentsOf: [0x61, 0x6c] as [UInt8])
        writer.writeUInt(UInt64(level))
        writer.bytes.append(contentsOf: [0x61, 0x6e] as [UInt8])
        writer.beginList(count: counts.count)
        for n in counts { writer.writeUInt(n) }
        return writer.bytes
    }

    /// The bytes of the empty map: the leaf `{"k": [], "l": 0, "v": []}`.
    public static let emptyLeaf: [UInt8] = [0xa3, 0x61, 0x6b, 0x80, 0x61, 0x6c, 0x00, 0x61, 0x76, 0x80]

    /// Decodes a node and checks its structure: strict canonical DAG-CBOR, the field set, equal
    /// list lengths, strictly increasing keys, the key, value, level and size limits, and
    /// positive counts. (The chunking rule is checked by ``NodeValidation``.)
    public static func decode(_ bytes: [UInt8], cid: CID) throws(ProllyError) -> ProllyNode {
        guard bytes.count <= ProllyLimits.maxNodeSize else {
            throw .invalidNode(cid, reason: "\(bytes.count) bytes, over the \(ProllyLimits.maxNodeSize)-byte limit")
        }
        do {
            return try DAGCBOR.read(bytes) { (reader) throws(DAGCBORError) -> ProllyNode in
                try readNode(&reader, cid: cid, byteCount: bytes.count)
            }
        } catch {
            throw .invalidNode(cid, reason: error.description)
        }
    }

    static func expectKey(_ reader: inout DAGCBORReader, _ name: UInt8) throws(DAGCBORError) {
        let start = reader.offset
        let key = try reader.readTextBytes()
        guard key.count == 1, key[0] == name else {
            throw DAGCBORError(.unexpectedType(expected: "field \"\(Character(Unicode.Scalar(name)))\"", found: "another field"), at: start)
        }
    }

    static func readKeys(_ reader: inout DAGCBORReader) throws(DAGCBORError) -> [[UInt8]] {
        let n = try reader.readListHeader()
        var keys: [[UInt8]] = []
        keys.reserveCapacity(n)
        for _ in 0..<n {
            let start = reader.offset
            let key = try reader.readBytes()
            guard key.count <= ProllyLimits.maxKeyLength else {
                throw DAGCBORError(.valueOutOfRange("key of \(key.count) bytes, over \(ProllyLimits.maxKeyLength)"), at: start)
            }
            if let previous = keys.last {
                guard previous.withUnsafeBytes({ KeyOrder.compare($0, key) }) < 0 else {
                    throw DAGCBORError(.valueOutOfRange("keys not strictly increasing"), at: start)
                }
            }
            keys.append(Array(key))
        }
        return keys
    }

    static func readNode(_ reader: inout DAGCBORReader, cid: CID, byteCount: Int) throws(DAGCBORError) -> ProllyNode {
        let start = reader.offset
        let fields = try reader.readMapHeader()
        if fields == 3 {
            try expectKey(&reader, 0x6b)
            let keys = try readKeys(&reader)
            try expectKey(&reader, 0x6c)
            let levelStart = reader.offset
            guard try reader.readUInt64() == 0 else {
                throw DAGCBORError(.valueOutOfRange("a leaf (3 fields) must have level 0"), at: levelStart)
            }
            try expectKey(&reader, 0x76)
            let listStart = reader.offset
            let n = try reader.readListHeader()
            guard n == keys.count else {
                throw DAGCBORError(.valueOutOfRange("\(n) values for \(keys.count) keys"), at: listStart)
            }
            var values: [ProllyValue] = []
            values.reserveCapacity(n)
            for i in 0..<n {
                let valueStart = reader.offset
                let value = try ProllyValue.read(from: &reader)
                do { try value.checkLimits(key: keys[i]) } catch {
                    throw DAGCBORError(.valueOutOfRange(error.description), at: valueStart)
                }
                values.append(value)
            }
            return ProllyNode(level: 0, keys: keys, values: values, children: [], counts: [],
                              cid: cid, byteCount: byteCount, entryCount: UInt64(n))
        }
        guard fields == 4 else {
            throw DAGCBORError(.valueOutOfRange("a node has 3 (leaf) or 4 (branch) fields, not \(fields)"), at: start)
        }
        try expectKey(&reader, 0x63)
        let n = try reader.readListHeader()
        var children: [CID] = []
        children.reserveCapacity(n)
        for _ in 0..<n { children.append(try reader.readLink()) }
        try expectKey(&reader, 0x6b)
        let keysStart = reader.offset
        let keys = try readKeys(&reader)
        guard keys.count == n, n > 0 else {
            throw DAGCBORError(.valueOutOfRange("a branch needs as many keys as children, at least one"), at: keysStart)
        }
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
        var counts: [UInt64] = []
        counts.reserveCapacity(n)
        var total: UInt64 = 0
        for _ in 0..<n {
            let countStart = reader.offset
            let c = try reader.readUInt64()
            let (sum, overflow) = total.addingReportingOverflow(c)
            guard c > 0, !overflow else {
                throw DAGCBORError(.valueOutOfRange("child count must be positive and sum within UInt64"), at: countStart)
            }
            total = sum
            counts.append(c)
        }
        return ProllyNode(level: Int(level), keys: keys, values: [], children: children, counts: counts,
                          cid: cid, byteCount: byteCount, entryCount: total)
    }
}
