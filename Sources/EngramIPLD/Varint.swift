/// Unsigned LEB128 varints as used by multiformats: minimal encodings only, at most
/// ``Varint/maxLength`` bytes, so the largest value is `2^63 - 1`.
public enum Varint {
    /// The longest varint multiformats allows.
    public static let maxLength = 9
    /// The largest value a 9-byte varint can hold.
    public static let maxValue: UInt64 = (1 << 63) - 1

    /// The number of bytes `value` takes when encoded.
    @inlinable
    public static func encodedLength(_ value: UInt64) -> Int {
        var v = value >> 7
        var n = 1
        while v != 0 { v >>= 7; n += 1 }
        return n
    }

    /// Appends the encoding of `value`. Values above ``maxValue`` cannot be encoded.
    @inlinable
    public static func write(_ value: UInt64, into bytes: inout [UInt8]) throws(VarintError) {
        guard value <= maxValue else { throw .valueTooLarge(value) }
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// The encoding of `value` as a new array.
    public static func encode(_ value: UInt64) throws(VarintError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(value))
        try write(value, into: &out)
        return out
    }

    /// Reads one varint starting at `offset`, advancing it past the varint.
    @inlinable
    public static func read(
        from buffer: UnsafeRawBufferPointer, at offset: inout Int
    ) throws(VarintError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        var index = offset
        while true {
            guard index < buffer.count else { throw .truncated(offset: start) }
            let byte = buffer[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                // A final zero group after the first byte means a shorter encoding existed.
                if byte == 0 && index - start > 1 { throw .nonMinimal(offset: start) }
                offset = index
                return value
            }
            shift += 7
            if index - start >= maxLength { throw .tooLong(offset: start) }
        }
    }

    /// Decodes one varint from the start of `bytes`; returns the value and the bytes it used.
    public static func decode(_ bytes: [UInt8]) throws(VarintError) -> (value: UInt64, length: Int) {
        var offset = 0
        let value = try bytes.withBytes { (buffer) throws(VarintError) -> UInt64 in
            try read(from: buffer, at: &offset)
        }
        return (value, offset)
    }
}

/// Why a varint could not be read or written.
public enum VarintError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes ended before the varint's last byte.
    case truncated(offset: Int)
    /// The varint has a shorter encoding (a trailing zero group).
    case nonMinimal(offset: Int)
    /// The varint runs past the 9-byte maximum.
    case tooLong(offset: Int)
    /// The value is above `2^63 - 1` and has no 9-byte encoding.
    case valueTooLarge(UInt64)

    public var description: String {
        switch self {
        case .truncated(let o): "varint truncated at byte \(o)"
        case .nonMinimal(let o): "varint at byte \(o) is not minimally encoded"
        case .tooLong(let o): "varint at byte \(o) is longer than 9 bytes"
        case .valueTooLarge(let v): "value \(v) is too large for a 9-byte varint"
        }
    }
}
