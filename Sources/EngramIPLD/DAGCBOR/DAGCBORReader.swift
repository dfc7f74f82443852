#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads strict DAG-CBOR from borrowed bytes, one item at a time.
///
/// Every read checks the rules of strict DAG-CBOR and throws a ``DAGCBORError`` naming the rule
/// and the offset. A reader borrows its buffer: use it only inside the closure of
/// `DAGCBOR.read(_:limits:_:)`, which also checks that nothing follows the top-level item.
public struct DAGCBORReader {
    /// The bytes being read.
    public let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public var offset: Int
    /// The limits in force.
    public let limits: DAGCBORLimits

    /// A reader over `buffer` (which must outlive it) that enforces `limits`.
    @inlinable
    public init(buffer: UnsafeRawBufferPointer, limits: DAGCBORLimits = .default) {
        self.buffer = buffer
        self.offset = 0
        self.limits = limits
    }

    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { offset >= buffer.count }
    /// Bytes not yet read.
    @inlinable public var remaining: Int { buffer.count - offset }

    /// The next byte, unread; nil at the end.
    @inlinable public func peekByte() -> UInt8? { offset < buffer.count ? buffer[offset] : nil }

    /// The major type of the next item, unread.
    @inlinable
    public func peekMajor() throws(DAGCBORError) -> UInt8 {
        guard offset < buffer.count else { throw DAGCBORError(.truncated(needed: 1), at: offset) }
        return buffer[offset] >> 5
    }

    @inlinable @inline(__always)
    mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type, itemStart: Int) throws(DAGCBORError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw DAGCBORError(.truncated(needed: size - remaining), at: itemStart) }
        let value = T(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// Reads the initial byte and argument of a major type 0-6 item, in shortest form.
    @inlinable @inline(__always)
    public mutating func readHeader() throws(DAGCBORError) -> (major: UInt8, argument: UInt64) {
        let start = offset
        guard offset < buffer.count else { throw DAGCBORError(.truncated(needed: 1), at: start) }
        let initial = buffer[offset]
        offset += 1
        let major = initial >> 5
        let info = initial & 0x1f
        if major == 7 { offset = start; return (7, 0) }
        switch info {
        case 0..<24:
            return (major, UInt64(info))
        case 24:
            let v = try readBigEndian(UInt8.self, itemStart: start)
            guard v >= 24 else { throw DAGCBORError(.nonMinimalEncoding, at: start) }
            return (major, UInt64(v))
        case 25:
            let v = try readBigEndian(UInt16.self, itemStart: start)
            guard v > 0xff else { throw DAGCBORError(.nonMinimalEncoding, at: start) }
            return (major, UInt64(v))
        case 26:
            let v = try readBigEndian(UInt32.self, itemStart: start)
            guard v > 0xffff else { throw DAGCBORError(.nonMinimalEncoding, at: start) }
            return (major, UInt64(v))
        case 27:
            let v = try readBigEndian(UInt64.self, itemStart: start)
            guard v > 0xffff_ffff else { throw DAGCBORError(.nonMinimalEncoding, at: start) }
            return (major, v)
        case 31:
            throw DAGCBORError(.indefiniteLength, at: start)
        default:
            throw DAGCBORError(.reservedAdditionalInfo(info), at: start)
        }
    }

    @inlinable
    static func majorName(_ major: UInt8) -> String {
        switch major {
        case 0: "unsigned integer"
        case 1: "negative integer"
        case 2: "byte string"
        case 3: "text"
        case 4: "list"
        case 5: "map"
        case 6: "tag"
        default: "simple value or float"
        }
    }

    @inlinable
    mutating func expectHeader(major expected: UInt8) throws(DAGCBORError) -> UInt64 {
        let start = offset
        let (major, argument) = try readHeader()
        guard major == expected else {
            offset = start
            throw DAGCBORError(
                .unexpectedType(expected: Self.majorName(expected), found: Self.majorName(major)), at: start)
        }
        return argument
    }

    /// Checks that `length` bytes remain, before anything is allocated for them.
    @inlinable @inline(__always)
    func checkLength(_ length: UInt64, perItem: Int = 1, itemStart: Int) throws(DAGCBORError) -> Int {
        guard length <= UInt64(remaining / perItem) else {
            throw DAGCBORError(.lengthExceedsInput(length), at: itemStart)
        }
        return Int(length)
    }

    /// Reads a list header and returns its item count.
    @inlinable
    public mutating func readListHeader() throws(DAGCBORError) -> Int {
        let start = offset
        let argument = try expectHeader(major: 4)
        return try checkLength(argument, itemStart: start)
    }

    /// Reads a map header and returns its entry count.
    @inlinable
    public mutating func readMapHeader() throws(DAGCBORError) -> Int {
        let start = offset
        let argument = try expectHeader(major: 5)
        return try checkLength(argument, perItem: 2, itemStart: start)
    }

    /// Reads a byte string, borrowed from the buffer.
    @inlinable
    public mutating func readBytes() throws(DAGCBORError) -> UnsafeRawBufferPointer {
        let start = offset
        let argument = try expectHeader(major: 2)
        let length = try checkLength(argument, itemStart: start)
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length])
    }

    /// Reads a byte string into a new array.
    @inlinable
    public mutating func readByteArray() throws(DAGCBORError) -> [UInt8] {
        Array(try readBytes().assumingMemoryBound(to: UInt8.self))
    }

    /// Reads text as validated UTF-8 bytes, borrowed from the buffer.
    @inlinable
    public mutating func readTextBytes() throws(DAGCBORError) -> UnsafeRawBufferPointer {
        let start = offset
        let argument = try expectHeader(major: 3)
        let length = try checkLength(argument, itemStart: start)
        let text = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length])
        guard UTF8Validation.isValid(text) else { throw DAGCBORError(.invalidUTF8, at: start) }
        offset += length
        return text
    }

    /// Reads text.
    @inlinable
    public mutating func readString() throws(DAGCBORError) -> String {
        let start = offset
        let argument = try expectHeader(major: 3)
        return try readStringBody(argument, itemStart: start)
    }

    /// Reads the bytes of a text item whose header declared `argument` bytes.
    @inlinable
    mutating func readStringBody(_ argument: UInt64, itemStart start: Int) throws(DAGCBORError) -> String {
        let length = try checkLength(argument, itemStart: start)
        let text = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length])
        // String(decoding:) validates and repairs; any repair changes the bytes, so comparing
        // them with the input detects invalid UTF-8 with one memcmp. (String(validating:) is
        // generic over the encoding and looks its metadata up at run time on every call.)
        let string = String(decoding: text.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        guard Self.sameBytes(string, text) else { throw DAGCBORError(.invalidUTF8, at: start) }
        offset += length
        return string
    }

    /// Reads an integer from CBOR's whole range.
    @inlinable
    public mutating func readInteger() throws(DAGCBORError) -> IPLDInteger {
        let start = offset
        let (major, argument) = try readHeader()
        guard major <= 1 else {
            offset = start
            throw DAGCBORError(.unexpectedType(expected: "integer", found: Self.majorName(major)), at: start)
        }
        return IPLDInteger(isNegative: major == 1, cborArgument: argument)
    }

    /// Reads an integer that must fit in `Int64`.
    @inlinable
    public mutating func readInt64() throws(DAGCBORError) -> Int64 {
        let start = offset
        guard let value = try readInteger().int64 else { throw DAGCBORError(.valueOutOfRange("Int64"), at: start) }
        return value
    }

    /// Reads a non-negative integer.
    @inlinable
    public mutating func readUInt64() throws(DAGCBORError) -> UInt64 {
        let start = offset
        guard let value = try readInteger().uint64 else { throw DAGCBORError(.valueOutOfRange("UInt64"), at: start) }
        return value
    }

    /// Reads a simple value or float: `false`, `true`, `null` or a float64.
    @inlinable
    mutating func readSimple() throws(DAGCBORError) -> IPLD {
        let start = offset
        guard offset < buffer.count else { throw DAGCBORError(.truncated(needed: 1), at: start) }
        let initial = buffer[offset]
        offset += 1
        switch initial {
        case 0xf4: return .bool(false)
        case 0xf5: return .bool(true)
        case 0xf6: return .null
        case 0xfb:
            let bits = try readBigEndian(UInt64.self, itemStart: start)
            let value = Double(bitPattern: bits)
            guard value.isFinite else { throw DAGCBORError(.nonFiniteFloat, at: start) }
            guard bits != 0x8000_0000_0000_0000 else { throw DAGCBORError(.negativeZero, at: start) }
            return .float(value)
        case 0xf9, 0xfa: throw DAGCBORError(.floatNotFloat64, at: start)
        case 0xf8:
            let value = offset < buffer.count ? buffer[offset] : 0
            throw DAGCBORError(.unsupportedSimpleValue(value), at: start)
        case 0xfc...0xfe: throw DAGCBORError(.reservedAdditionalInfo(initial & 0x1f), at: start)
        case 0xff: throw DAGCBORError(.indefiniteLength, at: start)
        default:
            guard initial >= 0xe0 else {
                offset = start
                throw DAGCBORError(.unexpectedType(expected: "simple value", found: Self.majorName(initial >> 5)), at: start)
            }
            throw DAGCBORError(.unsupportedSimpleValue(initial & 0x1f), at: start)
        }
    }

    /// Reads a float64.
    @inlinable
    public mutating func readFloat() throws(DAGCBORError) -> Double {
        let start = offset
        guard case .float(let value) = try readSimple() else {
            offset = start
            throw DAGCBORError(.unexpectedType(expected: "float", found: "another simple value"), at: start)
        }
        return value
    }

    /// Reads `true` or `false`.
    @inlinable
    public mutating func readBool() throws(DAGCBORError) -> Bool {
        let start = offset
        guard case .bool(let value) = try readSimple() else {
            offset = start
            throw DAGCBORError(.unexpectedType(expected: "bool", found: "another simple value"), at: start)
        }
        return value
    }

    /// Consumes a `null` when one is next and says whether it did.
    @inlinable
    public mutating func readNullIfPresent() -> Bool {
        guard peekByte() == 0xf6 else { return false }
        offset += 1
        return true
    }

    /// Reads a link (tag 42 around `00` + binary CID).
    @inlinable
    public mutating func readLink() throws(DAGCBORError) -> CID {
        let start = offset
        guard remaining >= 2 else { throw DAGCBORError(.truncated(needed: 2 - remaining), at: start) }
        guard buffer[offset] == 0xd8, buffer[offset + 1] == 0x2a else {
            let (major, tag) = try readHeader()
            offset = start
            if major == 6 { throw DAGCBORError(.unsupportedTag(tag), at: start) }
            throw DAGCBORError(.unexpectedType(expected: "link", found: Self.majorName(major)), at: start)
        }
        offset += 2
        return try readLinkBody(tagStart: start)
    }

    @inlinable
    mutating func readLinkBody(tagStart: Int) throws(DAGCBORError) -> CID {
        guard (try? peekMajor()) == 2 else { throw DAGCBORError(.invalidLinkEncoding, at: tagStart) }
        let body = try readBytes()
        guard body.first == 0 else { throw DAGCBORError(.invalidLinkEncoding, at: tagStart) }
        do {
            let cid = try CID(bytes: UnsafeRawBufferPointer(rebasing: body.dropFirst()))
            if limits.requireDASLLinks { try cid.validateDASL() }
            return cid
        } catch {
            throw DAGCBORError(.invalidCID(error), at: tagStart)
        }
    }

    /// Reads a map key and checks that it follows `previous` in canonical order.
    @inlinable
    mutating func readKey(after previous: UnsafeRawBufferPointer?) throws(DAGCBORError) -> UnsafeRawBufferPointer {
        let start = offset
        guard (try peekMajor()) == 3 else { throw DAGCBORError(.nonTextMapKey, at: start) }
        let key = try readTextBytes()
        if let previous {
            if previous.count > key.count {
                throw DAGCBORError(.mapKeysOutOfOrder, at: start)
            } else if previous.count == key.count {
                let order = Self.compare(previous, key)
                if order == 0 { throw DAGCBORError(.duplicateMapKey, at: start) }
                if order > 0 { throw DAGCBORError(.mapKeysOutOfOrder, at: start) }
            }
        }
        return key
    }

    @usableFromInline
    static func sameBytes(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            utf8.count == bytes.count && (utf8.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, utf8.count) == 0)
        }
    }

    @inlinable
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
