extension DAGCBORReader {
    /// Reads the next item as a data-model value, whatever it is.
    public mutating func readValue() throws(DAGCBORError) -> IPLD {
        try readValue(depth: 0)
    }

    mutating func readValue(depth: Int) throws(DAGCBORError) -> IPLD {
        let start = offset
        let major = try peekMajor()
        if major == 7 { return try readSimple() }
        // One header read, then dispatch on the major type with the argument in hand.
        let (_, argument) = try readHeader()
        switch major {
        case 0:
            return .integer(IPLDInteger(isNegative: false, cborArgument: argument))
        case 1:
            return .integer(IPLDInteger(isNegative: true, cborArgument: argument))
        case 2:
            let length = try checkLength(argument, itemStart: start)
            defer { offset += length }
            return .bytes(Array(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]).assumingMemoryBound(to: UInt8.self)))
        case 3:
            return .string(try readStringBody(argument, itemStart: start))
        case 4:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            let count = try checkLength(argument, itemStart: start)
            var items: [IPLD] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readValue(depth: depth + 1)) }
            return .list(items)
        case 5:
            guard depth < limits.maxDepth else { throw DAGCBORError(.depthLimitExceeded(limits.maxDepth), at: start) }
            let count = try checkLength(argument, perItem: 2, itemStart: start)
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
        default:
            guard argument == 42 else { throw DAGCBORError(.unsupportedTag(argument), at: start) }
            // Tag 42 is written d8 2a; any longer form is not minimal and readHeader refused it.
            return .link(try readLinkBody(tagStart: start))
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
