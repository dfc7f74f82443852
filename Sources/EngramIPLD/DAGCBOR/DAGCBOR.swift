/// Strict DAG-CBOR (codec 0x71): the canonical bytes every Engram object is hashed over.
///
/// Encoding is always canonical; decoding rejects anything that is not (see SPEC.md for the rules).
public enum DAGCBOR {
    /// Encodes a value canonically.
    public static func encode(_ value: IPLD) throws(DAGCBORError) -> [UInt8] {
        // Most blocks are under 1 KiB; starting there saves the early regrowths.
        var writer = DAGCBORWriter(capacity: 1024)
        try writer.write(value)
        return writer.bytes
    }

    /// Decodes exactly one value spanning all of `bytes`.
    public static func decode(_ bytes: [UInt8], limits: DAGCBORLimits = .default) throws(DAGCBORError) -> IPLD {
        try read(bytes, limits: limits) { (reader) throws(DAGCBORError) in try reader.readValue() }
    }

    /// Decodes exactly one value spanning all of `buffer`.
    public static func decode(_ buffer: UnsafeRawBufferPointer, limits: DAGCBORLimits = .default) throws(DAGCBORError) -> IPLD {
        try read(buffer, limits: limits) { (reader) throws(DAGCBORError) in try reader.readValue() }
    }

    /// Runs `body` with a reader over `bytes`, then checks that it read exactly one whole item.
    ///
    /// This is the schema-driven fast path: `body` reads the fields it expects with the typed
    /// reads of ``DAGCBORReader`` and builds its own type, with no intermediate ``IPLD`` value.
    public static func read<R>(
        _ bytes: [UInt8], limits: DAGCBORLimits = .default,
        _ body: (inout DAGCBORReader) throws(DAGCBORError) -> R
    ) throws(DAGCBORError) -> R {
        try bytes.withBytes { (buffer) throws(DAGCBORError) -> R in try read(buffer, limits: limits, body) }
    }

    /// Runs `body` with a reader over `buffer`, then checks that it read exactly one whole item.
    public static func read<R>(
        _ buffer: UnsafeRawBufferPointer, limits: DAGCBORLimits = .default,
        _ body: (inout DAGCBORReader) throws(DAGCBORError) -> R
    ) throws(DAGCBORError) -> R {
        guard buffer.count <= limits.maxSize else {
            throw DAGCBORError(.sizeLimitExceeded(limits.maxSize), at: 0)
        }
        var reader = DAGCBORReader(buffer: buffer, limits: limits)
        let result = try body(&reader)
        guard reader.isAtEnd else { throw DAGCBORError(.trailingBytes, at: reader.offset) }
        return result
    }

    /// Checks that `bytes` are one strict DAG-CBOR item, without building a value.
    public static func validate(_ bytes: [UInt8], limits: DAGCBORLimits = .default) throws(DAGCBORError) {
        try read(bytes, limits: limits) { (reader) throws(DAGCBORError) in try reader.skipValue() }
    }

    /// Every link in `bytes`, in the order they appear (what a store walks for closures and GC).
    public static func links(in bytes: [UInt8], limits: DAGCBORLimits = .default) throws(DAGCBORError) -> [CID] {
        var found: [CID] = []
        try read(bytes, limits: limits) { (reader) throws(DAGCBORError) in
            try collectLinks(&reader, into: &found, depth: 0)
        }
        return found
    }

    static func collectLinks(_ reader: inout DAGCBORReader, into found: inout [CID], depth: Int) throws(DAGCBORError) {
        let start = reader.offset
        switch try reader.peekMajor() {
        case 4:
            guard depth < reader.limits.maxDepth else {
                throw DAGCBORError(.depthLimitExceeded(reader.limits.maxDepth), at: start)
            }
            for _ in 0..<(try reader.readListHeader()) { try collectLinks(&reader, into: &found, depth: depth + 1) }
        case 5:
            guard depth < reader.limits.maxDepth else {
                throw DAGCBORError(.depthLimitExceeded(reader.limits.maxDepth), at: start)
            }
            var previous: UnsafeRawBufferPointer? = nil
            for _ in 0..<(try reader.readMapHeader()) {
                previous = try reader.readKey(after: previous)
                try collectLinks(&reader, into: &found, depth: depth + 1)
            }
        case 6:
            if case .link(let cid) = try reader.readValue(depth: depth) { found.append(cid) }
        default:
            try reader.skipValue(depth: depth)
        }
    }
}
