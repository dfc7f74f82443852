import EngramIPLD

/// The value of a Prolly tree entry: nothing (a key-only set), inline bytes, or a link.
public enum ProllyValue: Hashable, Sendable {
    /// No value: the tree is a set of keys. Encoded as DAG-CBOR `null`.
    case null
    /// Inline bytes, at most ``ProllyLimits/maxValueLength``. Encoded as a byte string.
    case bytes([UInt8])
    /// A link to another block. Encoded as tag 42.
    case link(CID)

    /// The length of the value's DAG-CBOR encoding, header included (its chunking width).
    @inlinable
    public var encodedLength: Int {
        switch self {
        case .null: 1
        case .bytes(let b): cborHeaderLength(b.count) + b.count
        case .link(let c):
            // d8 2a, then a byte string of 00 + the binary CID.
            2 + cborHeaderLength(c.encodedLength + 1) + c.encodedLength + 1
        }
    }

    /// Writes the value's DAG-CBOR encoding.
    @inlinable
    public func write(to writer: inout DAGCBORWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bytes(let b): writer.writeBytes(b)
        case .link(let c): writer.writeLink(c)
        }
    }

    /// Reads a value written by ``write(to:)``.
    @inlinable
    public static func read(from reader: inout DAGCBORReader) throws(DAGCBORError) -> ProllyValue {
        switch reader.peekByte() {
        case 0xf6:
            _ = reader.readNullIfPresent()
            return .null
        case 0xd8: return .link(try reader.readLink())
        default: return .bytes(try reader.readByteArray())
        }
    }

    /// Checks the value against the limits, naming `key` if it is too long.
    @inlinable
    public func checkLimits(key: [UInt8]) throws(ProllyError) {
        switch self {
        case .null: break
        case .bytes(let b): try Self.checkBytes(length: b.count, key: key)
        case .link(let c): try Self.checkLink(length: c.encodedLength, key: key)
        }
    }

    /// Checks the length of inline bytes, naming `key` if it is too long.
    @inlinable
    static func checkBytes(length: Int, key: @autoclosure () -> [UInt8]) throws(ProllyError) {
        if length > ProllyLimits.maxValueLength { throw .valueTooLong(key: key(), length: length) }
    }

    /// Checks the binary length of a link's CID, naming `key` if it is too long.
    @inlinable
    static func checkLink(length: Int, key: @autoclosure () -> [UInt8]) throws(ProllyError) {
        if length > ProllyLimits.maxLinkLength { throw .valueTooLong(key: key(), length: length) }
    }
}

/// The length of a CBOR major-type header with argument `n`, in shortest form.
@inlinable
func cborHeaderLength(_ n: Int) -> Int {
    n < 24 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : n <= 0xffff_ffff ? 5 : 9
}

/// The length of a CBOR header (major types 0-6) from its initial byte.
@inlinable
func cborHeaderLength(initial: UInt8) -> Int {
    switch initial & 0x1f {
    case 24: 2
    case 25: 3
    case 26: 5
    case 27: 9
    default: 1
    }
}

/// One entry of a Prolly tree.
public struct ProllyEntry: Hashable, Sendable {
    /// The key (at most ``ProllyLimits/maxKeyLength`` bytes).
    public var key: [UInt8]
    /// The value.
    public var value: ProllyValue

    /// The entry `key` -> `value`.
    @inlinable
    public init(key: [UInt8], value: ProllyValue) {
        self.key = key
        self.value = value
    }
}
