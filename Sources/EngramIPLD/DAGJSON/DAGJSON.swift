/// DAG-JSON (codec 0x0129): the form of IPLD data that people read and type.
///
/// Links are `{"/": "<cid>"}`, bytes `{"/": {"bytes": "<base64, no padding>"}}`. Encoding is
/// canonical (no whitespace, keys sorted bytewise, shortest floats); decoding accepts any
/// whitespace and key order but rejects duplicate keys, other uses of the `"/"` key and
/// numbers out of range. See SPEC.md for the exact rules.
public enum DAGJSON {
    /// Encodes `value` as canonical DAG-JSON bytes.
    public static func encode(_ value: IPLD, maxDepth: Int = DAGCBORLimits.default.maxDepth) throws(DAGJSONError) -> [UInt8] {
        var writer = DAGJSONWriter(maxDepth: maxDepth)
        try writer.write(value, depth: 0)
        return writer.bytes
    }

    /// Encodes `value` as canonical DAG-JSON text.
    public static func encodeString(_ value: IPLD) throws(DAGJSONError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Decodes one DAG-JSON value spanning all of `bytes` (surrounding whitespace allowed).
    public static func decode(_ bytes: [UInt8], limits: DAGCBORLimits = .default) throws(DAGJSONError) -> IPLD {
        guard bytes.count <= limits.maxSize else { throw DAGJSONError(.sizeLimitExceeded(limits.maxSize), at: 0) }
        return try bytes.withBytes { (buffer) throws(DAGJSONError) -> IPLD in
            var parser = DAGJSONParser(buffer: buffer, maxDepth: limits.maxDepth)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.offset == buffer.count else { throw DAGJSONError(.trailingBytes, at: parser.offset) }
            return value
        }
    }

    /// Decodes one DAG-JSON value from text.
    public static func decode(_ text: String) throws(DAGJSONError) -> IPLD {
        try decode(Array(text.utf8))
    }
}

/// A DAG-JSON document broke a rule: which one, and the byte offset.
public struct DAGJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule broken.
    public let reason: Reason
    /// The byte offset in the document where it was found.
    public let offset: Int

    /// An error for `reason` at byte `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The DAG-JSON rules a document can break.
    public enum Reason: Hashable, Sendable {
        /// The document ends inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedCharacter(UInt8)
        /// Bytes follow the top-level value.
        case trailingBytes
        /// A number that JSON does not allow.
        case invalidNumber
        /// An integer outside `-2^64 ... 2^64 - 1`.
        case integerOutOfRange
        /// A float that overflows to an infinity.
        case nonFiniteFloat
        /// -0.0, which has no DAG form.
        case negativeZero
        /// A backslash escape that JSON does not define, or a lone surrogate.
        case invalidEscape
        /// Bytes that are not UTF-8.
        case invalidUTF8
        /// An unescaped control character inside a string.
        case controlCharacterInString
        /// A map key given twice.
        case duplicateMapKey(String)
        /// A `{"/": "..."}` link whose CID is invalid.
        case invalidLink(CIDError)
        /// A `{"/": {"bytes": "..."}}` value that is not unpadded base64.
        case invalidBytes(String)
        /// A map uses the reserved key `"/"` other than as a link or bytes.
        case reservedKey
        /// Nesting deeper than the limit.
        case depthLimitExceeded(Int)
        /// A document larger than the limit.
        case sizeLimitExceeded(Int)
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "input ends early"
        case .unexpectedCharacter(let c): what = "unexpected character '\(Character(Unicode.Scalar(c)))'"
        case .trailingBytes: what = "bytes after the value"
        case .invalidNumber: what = "invalid number"
        case .integerOutOfRange: what = "integer outside -2^64 ... 2^64-1"
        case .nonFiniteFloat: what = "float is not finite"
        case .negativeZero: what = "negative zero is not allowed"
        case .invalidEscape: what = "invalid escape sequence"
        case .invalidUTF8: what = "text is not valid UTF-8"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .duplicateMapKey(let k): what = "duplicate map key \"\(k)\""
        case .invalidLink(let e): what = "invalid link: \(e)"
        case .invalidBytes(let r): what = "invalid bytes: \(r)"
        case .reservedKey: what = "the key \"/\" is reserved for links {\"/\": cid} and bytes {\"/\": {\"bytes\": b64}}"
        case .depthLimitExceeded(let d): what = "nesting deeper than \(d)"
        case .sizeLimitExceeded(let s): what = "input larger than \(s) bytes"
        }
        return "DAG-JSON: \(what) at byte \(offset)"
    }
}
