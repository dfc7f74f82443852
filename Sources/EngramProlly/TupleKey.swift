import EngramIPLD

/// Builds tuple keys (SPEC.md 6.6): components appended in order, so bytewise order of keys is
/// tuple order and the key of a tuple prefix is a key prefix that no other tuple's key extends
/// unless that tuple starts with the same components.
///
/// - id: its 16 bytes, raw.
/// - text: UTF-8 with `00` written `00 ff`, then the terminator `00 01`. The terminator sorts
///   below every escaped byte (`00 ff`, `01`...`ff`), so a text sorts before its extensions
///   whatever component follows it; a bare `00` terminator did not (an id starting `ff` after
///   "a" sorted after "a\0b").
/// - value: a type byte, then big-endian sign-flipped integers, order-preserving float bits,
///   or escaped and terminated text or bytes. An encoding longer than ``maxValueLength`` bytes is
///   cut to its first ``maxValueLength`` bytes plus the first ``hashLength`` bytes of its SHA-256.
///   Because the kept prefix is as long as the longest uncut encoding, an uncut encoding is never
///   a prefix of a cut one: an equality prefix matches exactly its value (a cut value's hit is
///   still re-checked against the stored value, as two long values may share prefix and hash).
public struct TupleKey: Hashable, Sendable {
    /// The key so far.
    public private(set) var bytes: [UInt8] = []

    /// The longest value encoding kept whole, and the bytes kept of a longer one.
    public static let maxValueLength = 64
    /// The bytes of SHA-256 that follow the kept prefix of a cut value.
    public static let hashLength = 16
    /// The length of a cut value's encoding in a key.
    public static let cutValueLength = maxValueLength + hashLength

    /// The byte that follows `00` for an escaped `00`.
    static let escaped: UInt8 = 0xff
    /// The byte that follows `00` to end a text.
    static let terminator: UInt8 = 0x01

    public init() {}

    /// Appends a 16-byte id.
    public mutating func append(id: [UInt8]) throws(ProllyError) {
        guard id.count == 16 else { throw .invalidKeyComponent("an id is 16 bytes, not \(id.count)") }
        bytes += id
    }

    /// Appends text: escaped UTF-8, terminated by `00 01`.
    public mutating func append(text: String) {
        Self.appendEscaped(text.utf8, to: &bytes)
    }

    /// Appends text given as its UTF-8 bytes (which the caller knows to be valid UTF-8).
    public mutating func append(textBytes: [UInt8]) {
        Self.appendEscaped(textBytes, to: &bytes)
    }

    /// Appends a property value in its order-preserving encoding; returns whether the encoding
    /// was cut to a prefix and hash (an equality hit must then be re-checked).
    @discardableResult
    public mutating func append(_ value: KeyValue) throws(ProllyError) -> Bool {
        let (encoded, cut) = try Self.encoding(of: value)
        bytes += encoded
        return cut
    }

    /// The encoding of a value as it appears in a key, and whether it was cut.
    public static func encoding(of value: KeyValue) throws(ProllyError) -> (bytes: [UInt8], isCut: Bool) {
        var encoded: [UInt8] = []
        switch value {
        case .null: encoded = [KeyValue.Tag.null]
        case .bool(let b): encoded = [b ? KeyValue.Tag.true : KeyValue.Tag.false]
        case .int(let i):
            encoded = [KeyValue.Tag.int]
            appendBigEndian(UInt64(bitPattern: i) ^ (1 << 63), to: &encoded)
        case .float(let d):
            guard !d.isNaN else { throw .invalidKeyComponent("NaN has no order") }
            // -0.0 equals 0.0, so it encodes the same.
            let bits = (d == 0 ? 0.0 : d).bitPattern
            encoded = [KeyValue.Tag.float]
            appendBigEndian(bits & (1 << 63) != 0 ? ~bits : bits ^ (1 << 63), to: &encoded)
        case .text(let s):
            encoded = [KeyValue.Tag.text]
            appendEscaped(s.utf8, to: &encoded)
        case .bytes(let b):
            encoded = [KeyValue.Tag.bytes]
            appendEscaped(b, to: &encoded)
        }
        guard encoded.count > maxValueLength else { return (encoded, false) }
        let digest = HashFunction.sha2_256.digest(encoded).bytes
        return (Array(encoded.prefix(maxValueLength)) + digest.prefix(hashLength), true)
    }

    /// A key from components in one call.
    public static func make(_ build: (inout TupleKey) throws(ProllyError) -> Void) throws(ProllyError) -> [UInt8] {
        var key = TupleKey()
        try build(&key)
        return key.bytes
    }

    static func appendEscaped(_ raw: some Sequence<UInt8>, to out: inout [UInt8]) {
        for b in raw {
            out.append(b)
            if b == 0 { out.append(escaped) }
        }
        out.append(0)
        out.append(terminator)
    }

    static func appendBigEndian(_ v: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
}
