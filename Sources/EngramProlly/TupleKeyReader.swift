/// Reads a tuple key (SPEC.md 6.6) back into its components, in the order they were appended.
///
/// A key does not name its components' kinds: the reader is told them by the tree the key comes
/// from (SPEC.md 7.3). Every read checks the bytes it needs are there and well formed, and throws
/// ``ProllyError/malformedTupleKey(key:offset:reason:)`` otherwise, so a key from a damaged or
/// hostile tree never traps.
public struct TupleKeyReader {
    /// The key being read.
    public let key: [UInt8]
    /// The offset of the next component.
    public private(set) var offset: Int

    /// A reader of `key`'s components from byte `offset`.
    public init(_ key: [UInt8], offset: Int = 0) {
        self.key = key
        self.offset = min(max(offset, 0), key.count)
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == key.count }

    /// Reads a 16-byte id.
    public mutating func readID() throws(ProllyError) -> [UInt8] {
        let start = try skipID()
        return Array(key[start..<(start + 16)])
    }

    /// Reads past a 16-byte id and returns its offset in ``key``, for a caller that reads it in
    /// place (no copy per key in a scan).
    public mutating func skipID() throws(ProllyError) -> Int {
        guard key.count - offset >= 16 else { throw malformed("an id needs 16 bytes, \(key.count - offset) left") }
        defer { offset += 16 }
        return offset
    }

    /// Reads a text component as its raw UTF-8 bytes.
    public mutating func readTextBytes() throws(ProllyError) -> [UInt8] {
        guard let (raw, end) = try unescape(from: offset, limit: key.count) else { throw malformed("text has no terminator") }
        offset = end
        return raw
    }

    /// Reads a text component; it must be valid UTF-8.
    public mutating func readText() throws(ProllyError) -> String {
        let start = offset
        let raw = try readTextBytes()
        guard let text = String(validating: raw, as: UTF8.self) else {
            offset = start
            throw malformed("text is not valid UTF-8")
        }
        return text
    }

    /// Reads a property value: the value itself, or the prefix and hash of a cut encoding.
    public mutating func readValue() throws(ProllyError) -> DecodedKeyValue {
        let start = offset
        guard start < key.count else { throw malformed("a value needs a type byte") }
        let tag = key[start]
        switch tag {
        case KeyValue.Tag.null, KeyValue.Tag.false, KeyValue.Tag.true:
            offset += 1
            return .exact(tag == KeyValue.Tag.null ? .null : .bool(tag == KeyValue.Tag.true))
        case KeyValue.Tag.int, KeyValue.Tag.float:
            guard key.count - start >= 9 else { throw malformed("a number needs 8 bytes after its type byte") }
            var stored: UInt64 = 0
            for b in key[(start + 1)..<(start + 9)] { stored = stored << 8 | UInt64(b) }
            offset += 9
            if tag == KeyValue.Tag.int { return .exact(.int(Int64(bitPattern: stored ^ (1 << 63)))) }
            let bits = stored & (1 << 63) != 0 ? stored ^ (1 << 63) : ~stored
            let d = Double(bitPattern: bits)
            // Neither is ever written: NaN is refused and -0.0 is written as 0.0.
            guard !d.isNaN, d != 0 || d.sign == .plus else { offset = start; throw malformed("a float key is NaN or -0.0") }
            return .exact(.float(d))
        case KeyValue.Tag.text, KeyValue.Tag.bytes:
            // An uncut encoding ends within maxValueLength bytes; otherwise it was cut.
            let limit = min(key.count, start + TupleKey.maxValueLength)
            if let (raw, end) = try unescape(from: start + 1, limit: limit) {
                offset = end
                if tag == KeyValue.Tag.bytes { return .exact(.bytes(raw)) }
                guard let text = String(validating: raw, as: UTF8.self) else {
                    offset = start
                    throw malformed("text value is not valid UTF-8")
                }
                return .exact(.text(text))
            }
            guard key.count - start >= TupleKey.cutValueLength else {
                throw malformed("an unterminated value must be a cut value of \(TupleKey.cutValueLength) bytes")
            }
            let prefixEnd = start + TupleKey.maxValueLength
            offset = start + TupleKey.cutValueLength
            return .cut(prefix: Array(key[start..<prefixEnd]), hash: Array(key[prefixEnd..<offset]))
        default:
            throw malformed("unknown value type byte \(tag)")
        }
    }

    /// Throws unless every byte has been read.
    public func finish() throws(ProllyError) {
        guard isAtEnd else { throw malformed("\(key.count - offset) bytes after the last component") }
    }

    /// Unescapes from `start` up to a terminator that ends at or before `limit`: the raw bytes and
    /// the offset after the terminator, or nil when no terminator ends by `limit`.
    func unescape(from start: Int, limit: Int) throws(ProllyError) -> ([UInt8], Int)? {
        var raw: [UInt8] = []
        var i = start
        while i < limit {
            let b = key[i]
            guard b == 0 else {
                raw.append(b)
                i += 1
                continue
            }
            guard i + 1 < limit else { return nil }
            switch key[i + 1] {
            case TupleKey.terminator: return (raw, i + 2)
            case TupleKey.escaped: raw.append(0)
            default: throw ProllyError.malformedTupleKey(key: key, offset: i + 1, reason: "00 followed by \(key[i + 1]), not ff or 01")
            }
            i += 2
        }
        return nil
    }

    /// The error for a key that breaks the format at the current offset.
    public func malformed(_ reason: String) -> ProllyError {
        .malformedTupleKey(key: key, offset: offset, reason: reason)
    }
}
