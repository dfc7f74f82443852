import EngramIPLD

/// A value inside a tuple key, encoded so bytewise order is value order (DESIGN.md 4, SPEC.md 6.6).
///
/// Values of different kinds order by kind: null < false < true < integers < floats < text < bytes.
public enum KeyValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case text(String)
    case bytes([UInt8])

    /// Type bytes, in the order the kinds sort.
    public enum Tag {
        public static let null: UInt8 = 0x10
        public static let `false`: UInt8 = 0x20
        public static let `true`: UInt8 = 0x21
        public static let int: UInt8 = 0x30
        public static let float: UInt8 = 0x40
        public static let text: UInt8 = 0x50
        public static let bytes: UInt8 = 0x60
    }
}

/// Builds tuple keys: components appended in order, so bytewise order of keys is tuple order and
/// a tuple prefix is a key prefix.
///
/// - id: its 16 bytes, raw.
/// - text: UTF-8 with `00` written `00 ff`, then `00`.
/// - value: a type byte, then big-endian sign-flipped integers, order-preserving float bits,
///   or escaped text or bytes; an encoding over 64 bytes is cut to its first 48 bytes plus the
///   first 16 bytes of its SHA-256, 64 bytes in all (order then holds up to that prefix, and an
///   equality hit must be re-checked against the stored value).
public struct TupleKey: Hashable, Sendable {
    /// The key so far.
    public private(set) var bytes: [UInt8] = []

    /// The longest value encoding kept whole.
    public static let maxValueLength = 64
    /// The bytes kept of a longer value encoding, before its hash.
    public static let truncatedPrefixLength = 48

    public init() {}

    /// Appends a 16-byte id.
    public mutating func append(id: [UInt8]) throws(ProllyError) {
        guard id.count == 16 else { throw .invalidKeyComponent("an id is 16 bytes, not \(id.count)") }
        bytes += id
    }

    /// Appends text: escaped UTF-8, terminated by `00`.
    public mutating func append(text: String) {
        Self.appendEscaped(Array(text.utf8), to: &bytes)
    }

    /// Appends a property value in its order-preserving encoding.
    public mutating func append(_ value: KeyValue) throws(ProllyError) {
        var encoded: [UInt8] = []
        switch value {
        case .null: encoded = [KeyValue.Tag.null]
        case .bool(let b): encoded = [b ? KeyValue.Tag.true : KeyValue.Tag.false]
        case .int(let i):
            encoded = [KeyValue.Tag.int]
            Self.appendBigEndian(UInt64(bitPattern: i) ^ (1 << 63), to: &encoded)
        case .float(let d):
            guard !d.isNaN else { throw .invalidKeyComponent("NaN has no order") }
            // -0.0 equals 0.0, so it encodes the same.
            let bits = (d == 0 ? 0.0 : d).bitPattern
            encoded = [KeyValue.Tag.float]
            Self.appendBigEndian(bits & (1 << 63) != 0 ? ~bits : bits ^ (1 << 63), to: &encoded)
        case .text(let s):
            encoded = [KeyValue.Tag.text]
            Self.appendEscaped(Array(s.utf8), to: &encoded)
        case .bytes(let b):
            encoded = [KeyValue.Tag.bytes]
            Self.appendEscaped(b, to: &encoded)
        }
        if encoded.count > Self.maxValueLength {
            let digest = HashFunction.sha2_256.digest(encoded).bytes
            encoded = Array(encoded.prefix(Self.truncatedPrefixLength)) + digest.prefix(16)
        }
        bytes += encoded
    }

    /// A key from components in one call.
    public static func make(_ build: (inout TupleKey) throws(ProllyError) -> Void) throws(ProllyError) -> [UInt8] {
        var key = TupleKey()
        try build(&key)
        return key.bytes
    }

    static func appendEscaped(_ raw: [UInt8], to out: inout [UInt8]) {
        for b in raw {
            out.append(b)
            if b == 0 { out.append(0xff) }
        }
        out.append(0)
    }

    static func appendBigEndian(_ v: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }
}
