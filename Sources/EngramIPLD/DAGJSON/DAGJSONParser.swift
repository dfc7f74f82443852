/// A strict JSON parser that builds IPLD values and recognises DAG-JSON's links and bytes.
struct DAGJSONParser {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    let maxDepth: Int

    init(buffer: UnsafeRawBufferPointer, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    mutating func skipWhitespace() {
        while offset < buffer.count {
            switch buffer[offset] {
            case 0x20, 0x09, 0x0a, 0x0d: offset += 1
            default: return
            }
        }
    }

    func peek() throws(DAGJSONError) -> UInt8 {
        guard offset < buffer.count else { throw DAGJSONError(.unexpectedEnd, at: offset) }
        return buffer[offset]
    }

    mutating func expect(_ literal: StaticString) throws(DAGJSONError) {
        let start = offset
        let count = literal.utf8CodeUnitCount
        guard buffer.count - offset >= count else { throw DAGJSONError(.unexpectedEnd, at: buffer.count) }
        for i in 0..<count where buffer[offset + i] != literal.utf8Start[i] {
            throw DAGJSONError(.unexpectedCharacter(buffer[offset + i]), at: start + i)
        }
        offset += count
    }

    mutating func parseValue(depth: Int) throws(DAGJSONError) -> IPLD {
        let c = try peek()
        switch c {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["): return try parseList(depth: depth)
        case UInt8(ascii: "{"): return try parseMap(depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw DAGJSONError(.unexpectedCharacter(c), at: offset)
        }
    }

    mutating func parseList(depth: Int) throws(DAGJSONError) -> IPLD {
        guard depth < maxDepth else { throw DAGJSONError(.depthLimitExceeded(maxDepth), at: offset) }
        offset += 1
        var items: [IPLD] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            offset += 1
            return .list(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            let c = try peek()
            offset += 1
            if c == UInt8(ascii: "]") { return .list(items) }
            guard c == UInt8(ascii: ",") else { throw DAGJSONError(.unexpectedCharacter(c), at: offset - 1) }
        }
    }

    mutating func parseMap(depth: Int) throws(DAGJSONError) -> IPLD {
        guard depth < maxDepth else { throw DAGJSONError(.depthLimitExceeded(maxDepth), at: offset) }
        let start = offset
        offset += 1
        // Entries are collected in input order and sorted once at the end: inserting each into
        // a sorted map would cost time quadratic in the number of keys.
        var entries: [(key: String, value: IPLD, at: Int)] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return .map(IPLDMap())
        }
        while true {
            skipWhitespace()
            let keyStart = offset
            let c = try peek()
            guard c == UInt8(ascii: "\"") else { throw DAGJSONError(.unexpectedCharacter(c), at: offset) }
            let key = try parseString()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            entries.append((key, try parseValue(depth: depth + 1), keyStart))
            skipWhitespace()
            let next = try peek()
            offset += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw DAGJSONError(.unexpectedCharacter(next), at: offset - 1) }
        }
        let map = try Self.canonicalMap(entries)
        guard let slash = map["/"] else { return .map(map) }
        return try Self.reservedForm(slash, count: map.count, at: start)
    }

    /// The map of `entries` (in input order) in canonical key order, keys compared as UTF-8
    /// bytes; a repeated key is `duplicateMapKey` at its second occurrence (the earliest such).
    static func canonicalMap(_ entries: [(key: String, value: IPLD, at: Int)]) throws(DAGJSONError) -> IPLDMap {
        let sorted = entries.sorted { a, b in
            if IPLDMap.keyPrecedes(a.key, b.key) { return true }
            if IPLDMap.keyPrecedes(b.key, a.key) { return false }
            return a.at < b.at
        }
        var duplicate: (key: String, at: Int)? = nil
        for i in sorted.indices.dropFirst() where IPLDMap.keyEquals(sorted[i - 1].key, sorted[i].key) {
            if duplicate.map({ sorted[i].at < $0.at }) ?? true { duplicate = (sorted[i].key, sorted[i].at) }
        }
        if let duplicate { throw DAGJSONError(.duplicateMapKey(duplicate.key), at: duplicate.at) }
        return IPLDMap(canonicalEntries: sorted.map { (key: $0.key, value: $0.value) })
    }

    /// A map with the key "/" is a link or bytes, and nothing else.
    static func reservedForm(_ slash: IPLD, count: Int, at start: Int) throws(DAGJSONError) -> IPLD {
        guard count == 1 else { throw DAGJSONError(.reservedKey, at: start) }
        switch slash {
        case .string(let text):
            do { return .link(try CID(string: text)) } catch { throw DAGJSONError(.invalidLink(error), at: start) }
        case .map(let inner):
            guard inner.count == 1, case .string(let encoded)? = inner["bytes"] else {
                throw DAGJSONError(.reservedKey, at: start)
            }
            // Canonical bytes are unpadded; padded input is accepted, since people paste it.
            let unpadded = encoded.utf8.last == UInt8(ascii: "=")
                ? String(encoded.reversed().drop(while: { $0 == "=" }).reversed()) : encoded
            do { return .bytes(try Multibase.base64.decodeWithoutPrefix(unpadded)) } catch {
                throw DAGJSONError(.invalidBytes(error.description), at: start)
            }
        default:
            throw DAGJSONError(.reservedKey, at: start)
        }
    }

    mutating func parseString() throws(DAGJSONError) -> String {
        let start = offset
        offset += 1
        var out: [UInt8] = []
        var runStart = offset
        while true {
            guard offset < buffer.count else { throw DAGJSONError(.unexpectedEnd, at: offset) }
            let c = buffer[offset]
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: buffer[runStart..<offset])
                offset += 1
                break
            }
            if c < 0x20 { throw DAGJSONError(.controlCharacterInString, at: offset) }
            if c == UInt8(ascii: "\\") {
                out.append(contentsOf: buffer[runStart..<offset])
                try parseEscape(into: &out)
                runStart = offset
                continue
            }
            offset += 1
        }
        guard let string = out.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
            throw DAGJSONError(.invalidUTF8, at: start)
        }
        return string
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(DAGJSONError) {
        let start = offset
        offset += 1
        let c = try peek()
        offset += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5c)
        case UInt8(ascii: "/"): out.append(0x2f)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(at: start)
            if (0xd800..<0xdc00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard buffer.count - offset >= 6, buffer[offset] == UInt8(ascii: "\\"),
                    buffer[offset + 1] == UInt8(ascii: "u")
                else { throw DAGJSONError(.invalidEscape, at: start) }
                offset += 2
                let low = try parseHex4(at: start)
                guard (0xdc00..<0xe000).contains(low) else { throw DAGJSONError(.invalidEscape, at: start) }
                scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
            } else if (0xdc00..<0xe000).contains(scalar) {
                throw DAGJSONError(.invalidEscape, at: start)
            }
            out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw DAGJSONError(.invalidEscape, at: start)
        }
    }

    mutating func parseHex4(at start: Int) throws(DAGJSONError) -> UInt32 {
        guard buffer.count - offset >= 4 else { throw DAGJSONError(.unexpectedEnd, at: buffer.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let nibble = Hex.nibble(buffer[offset]) else { throw DAGJSONError(.invalidEscape, at: start) }
            value = value << 4 | UInt32(nibble)
            offset += 1
        }
        return value
    }

    /// Parses a JSON number: an integer when it has no fraction or exponent, a float otherwise.
    mutating func parseNumber() throws(DAGJSONError) -> IPLD {
        let start = offset
        var isFloat = false
        if buffer[offset] == UInt8(ascii: "-") { offset += 1 }
        let intStart = offset
        while offset < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[offset]) { offset += 1 }
        let intDigits = offset - intStart
        // JSON forbids empty integer parts and leading zeros.
        guard intDigits > 0, !(intDigits > 1 && buffer[intStart] == UInt8(ascii: "0")) else {
            throw DAGJSONError(.invalidNumber, at: start)
        }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: ".") {
            isFloat = true
            offset += 1
            let fracStart = offset
            while offset < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[offset]) { offset += 1 }
            guard offset > fracStart else { throw DAGJSONError(.invalidNumber, at: start) }
        }
        if offset < buffer.count, buffer[offset] == UInt8(ascii: "e") || buffer[offset] == UInt8(ascii: "E") {
            isFloat = true
            offset += 1
            if offset < buffer.count, buffer[offset] == UInt8(ascii: "+") || buffer[offset] == UInt8(ascii: "-") { offset += 1 }
            let expStart = offset
            while offset < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[offset]) { offset += 1 }
            guard offset > expStart else { throw DAGJSONError(.invalidNumber, at: start) }
        }
        let text = String(decoding: buffer[start..<offset], as: UTF8.self)
        if isFloat {
            guard let value = Double(text) else { throw DAGJSONError(.invalidNumber, at: start) }
            guard value.isFinite else { throw DAGJSONError(.nonFiniteFloat, at: start) }
            guard !(value == 0 && value.sign == .minus) else { throw DAGJSONError(.negativeZero, at: start) }
            return .float(value)
        }
        guard let integer = IPLDInteger(text) else { throw DAGJSONError(.integerOutOfRange, at: start) }
        return .integer(integer)
    }
}
