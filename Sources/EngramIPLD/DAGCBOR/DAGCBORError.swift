/// A DAG-CBOR block broke a rule: which rule, and the byte offset where it was found.
public struct DAGCBORError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule broken.
    public let reason: Reason
    /// The offset of the offending item's first byte (0 for encode errors).
    public let offset: Int

    /// An error for `reason` at byte `offset`.
    @inlinable
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The rules of strict DAG-CBOR, and the limits of a decode.
    public enum Reason: Hashable, Sendable {
        /// The input ended inside an item that needs `needed` more bytes.
        case truncated(needed: Int)
        /// Bytes remain after the single top-level item.
        case trailingBytes
        /// An integer, length or tag argument was not written in its shortest form.
        case nonMinimalEncoding
        /// An indefinite-length item (additional info 31).
        case indefiniteLength
        /// Additional info 28, 29 or 30, which CBOR reserves.
        case reservedAdditionalInfo(UInt8)
        /// A tag other than 42.
        case unsupportedTag(UInt64)
        /// A simple value other than false, true and null (undefined, unassigned, break...).
        case unsupportedSimpleValue(UInt8)
        /// A half- or single-precision float; DAG-CBOR floats are always float64.
        case floatNotFloat64
        /// NaN or an infinity.
        case nonFiniteFloat
        /// Negative zero.
        case negativeZero
        /// A map key that is not text.
        case nonTextMapKey
        /// Map keys out of canonical order (length first, then bytewise).
        case mapKeysOutOfOrder
        /// The same map key twice.
        case duplicateMapKey
        /// Text that is not valid UTF-8.
        case invalidUTF8
        /// Tag 42 not around a byte string that starts with 0x00.
        case invalidLinkEncoding
        /// Tag 42 around bytes that are not a CID.
        case invalidCID(CIDError)
        /// Nesting deeper than the limit.
        case depthLimitExceeded(Int)
        /// Input larger than the limit.
        case sizeLimitExceeded(Int)
        /// A declared length larger than the bytes left.
        case lengthExceedsInput(UInt64)
        /// A schema-driven read expected one kind of item and found another.
        case unexpectedType(expected: String, found: String)
        /// A schema-driven read found a value out of the range it accepts.
        case valueOutOfRange(String)
    }

    public var description: String {
        let what: String
        switch reason {
        case .truncated(let n): what = "input ends early (\(n) more bytes needed)"
        case .trailingBytes: what = "bytes after the top-level item"
        case .nonMinimalEncoding: what = "integer, length or tag not in shortest form"
        case .indefiniteLength: what = "indefinite length is not allowed"
        case .reservedAdditionalInfo(let i): what = "reserved additional info \(i)"
        case .unsupportedTag(let t): what = "tag \(t) is not allowed (only 42, a link)"
        case .unsupportedSimpleValue(let v): what = "simple value \(v) is not allowed (only false, true, null)"
        case .floatNotFloat64: what = "float must be float64 (0xfb)"
        case .nonFiniteFloat: what = "NaN and infinities are not allowed"
        case .negativeZero: what = "negative zero is not allowed"
        case .nonTextMapKey: what = "map key is not text"
        case .mapKeysOutOfOrder: what = "map keys are not in canonical order"
        case .duplicateMapKey: what = "duplicate map key"
        case .invalidUTF8: what = "text is not valid UTF-8"
        case .invalidLinkEncoding: what = "tag 42 must wrap a byte string starting with 0x00"
        case .invalidCID(let e): what = "link: \(e)"
        case .depthLimitExceeded(let d): what = "nesting deeper than \(d)"
        case .sizeLimitExceeded(let s): what = "input larger than \(s) bytes"
        case .lengthExceedsInput(let n): what = "declared length \(n) exceeds the remaining input"
        case .unexpectedType(let e, let f): what = "expected \(e), found \(f)"
        case .valueOutOfRange(let s): what = "value out of range: \(s)"
        }
        return "DAG-CBOR: \(what) at byte \(offset)"
    }
}
