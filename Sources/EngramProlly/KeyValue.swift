/// A value inside a tuple key, encoded so bytewise order is value order (DESIGN.md 4, SPEC.md 6.6).
///
/// Values of different kinds order by kind: null < false < true < integers < floats < text < bytes.
public enum KeyValue: Hashable, Sendable {
    /// Null, first of all kinds.
    case null
    /// A boolean: false, then true.
    case bool(Bool)
    /// A signed integer.
    case int(Int64)
    /// A float (not NaN).
    case float(Double)
    /// Text, by its UTF-8 bytes.
    case text(String)
    /// Bytes.
    case bytes([UInt8])

    /// Type bytes, in the order the kinds sort.
    public enum Tag {
        /// Null's tag.
        public static let null: UInt8 = 0x10
        /// False's tag.
        public static let `false`: UInt8 = 0x20
        /// True's tag.
        public static let `true`: UInt8 = 0x21
        /// The integers' tag.
        public static let int: UInt8 = 0x30
        /// The floats' tag.
        public static let float: UInt8 = 0x40
        /// Text's tag.
        public static let text: UInt8 = 0x50
        /// The bytes' tag.
        public static let bytes: UInt8 = 0x60
    }
}

/// A value read back from a tuple key: the value itself, or, for an encoding that was cut
/// (longer than ``TupleKey/maxValueLength``), the kept prefix and hash.
public enum DecodedKeyValue: Hashable, Sendable {
    /// A value whose whole encoding is in the key.
    case exact(KeyValue)
    /// The first ``TupleKey/maxValueLength`` bytes of a longer encoding (type byte included)
    /// and the first ``TupleKey/hashLength`` bytes of the SHA-256 of the whole encoding.
    case cut(prefix: [UInt8], hash: [UInt8])
}
