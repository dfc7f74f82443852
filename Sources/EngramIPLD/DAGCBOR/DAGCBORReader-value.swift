extension DAGCBORReader {
    /// Reads the next item as a data-model value, whatever it is.
    public mutating func readValue() throws(DAGCBORError) -> IPLD {
        try readValue(depth: 0)
    }

    mutating func readValue(depth: Int) throws(DAGCBORError) -> IPLD {
        let start = offset
        let major = try peekMajor()
        switch major {
        case 0, 1:
            return .integer(try readInteger())
        case 2:
            return .bytes(try readByteArray())
        case 3:
            return .string(try readString())
        case 4:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            let count = try readListHeader()
            var items: [IPLD] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readValue(depth: depth + 1)) }
            return .list(items)
        case 5:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            let count = try readMapHeader()
            var entries: [(key: String, value: IPLD)] = []
            entries.reserveCapacity(count)
            var previous: UnsafeRawBufferPointer? = nil
            for _ in 0..<count {
                let key = try readKey(after: previous)
                previous = key
                // readKey validated the UTF-8 already.
                let string = String(decoding: key.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
                entries.append((string, try readValue(depth: depth + 1)))
            }
            return .map(IPLDMap(canonicalEntries: entries))
        case 6:
            let (_, tag) = try readHeader()
            guard tag == 42 else { throw DAGCBORError(.unsupportedTag(tag), at: start) }
            // Tag 42 is written d8 2a; any longer form is not minimal and readHeader refused it.
            return .link(try readLinkBody(tagStart: start))
        default:
            return try readSimple()
        }
    }

    /// Skips the next item, checking every rule on the way (so a skipped field is still strict).
    public mutating func skipValue() throws(DAGCBORError) {
        try skipValue(depth: 0)
    }

    mutating func skipValue(depth: Int) throws(DAGCBORError) {
        let start = offset
        switch try peekMajor() {
        case 0, 1: _ = try readInteger()
        case 2: _ = try readBytes()
        case 3: _ = try readTextBytes()
        case 4:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            for _ in 0..<(try readListHeader()) { try skipValue(depth: depth + 1) }
        case 5:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            var previous: UnsafeRawBufferPointer? = nil
            for _ in 0..<(try readMapHeader()) {
                previous = try readKey(after: previous)
                try skipValue(depth: depth + 1)
            }
        case 6: _ = try readValue(depth: depth)
        default: _ = try readSimple()
        }
    }

    /// Reads the next item and returns its raw bytes, borrowed (validated as it goes).
    public mutating func readRawValue() throws(DAGCBORError) -> UnsafeRawBufferPointer {
        let start = offset
        try skipValue()
        return UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }
}
