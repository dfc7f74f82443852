/// Writes canonical DAG-CBOR straight into a byte array.
///
/// The generic path is ``write(_:)``; hot paths that know their schema call the typed writes
/// directly and never build an ``IPLD`` value. The writer does not sort: whoever writes a map
/// writes its keys in canonical order (shorter first, then bytewise), as ``IPLDMap`` keeps them.
public struct DAGCBORWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]
    /// The deepest nesting ``write(_:)`` accepts, so a hostile value cannot exhaust the stack.
    public var maxDepth: Int

    /// A writer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256, maxDepth: Int = DAGCBORLimits.default.maxDepth) {
        bytes = []
        bytes.reserveCapacity(capacity)
        self.maxDepth = maxDepth
    }

    /// Writes a major type and its argument in shortest form.
    @inlinable @inline(__always)
    public mutating func writeHeader(major: UInt8, argument: UInt64) {
        let m = major << 5
        if argument < 24 {
            bytes.append(m | UInt8(truncatingIfNeeded: argument))
        } else if argument <= 0xff {
            bytes.append(m | 24)
            bytes.append(UInt8(truncatingIfNeeded: argument))
        } else if argument <= 0xffff {
            bytes.append(m | 25)
            appendBigEndian(UInt16(truncatingIfNeeded: argument))
        } else if argument <= 0xffff_ffff {
            bytes.append(m | 26)
            appendBigEndian(UInt32(truncatingIfNeeded: argument))
        } else {
            bytes.append(m | 27)
            appendBigEndian(argument)
        }
    }

    @inlinable @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Writes null.
    @inlinable public mutating func writeNull() { bytes.append(0xf6) }
    /// Writes a boolean.
    @inlinable public mutating func writeBool(_ value: Bool) { bytes.append(value ? 0xf5 : 0xf4) }

    /// Writes an integer from CBOR's whole range.
    @inlinable
    public mutating func writeInteger(_ value: IPLDInteger) {
        writeHeader(major: value.isNegative ? 1 : 0, argument: value.cborArgument)
    }

    /// Writes a signed 64-bit integer in its shortest form.
    @inlinable
    public mutating func writeInt(_ value: Int64) {
        if value < 0 {
            writeHeader(major: 1, argument: UInt64(bitPattern: -1 - value))
        } else {
            writeHeader(major: 0, argument: UInt64(value))
        }
    }

    /// Writes an unsigned 64-bit integer in its shortest form.
    @inlinable public mutating func writeUInt(_ value: UInt64) { writeHeader(major: 0, argument: value) }

    /// Writes a float64. NaN, infinities and -0.0 have no DAG-CBOR form and are refused.
    @inlinable
    public mutating func writeFloat(_ value: Double) throws(DAGCBORError) {
        guard value.isFinite else { throw DAGCBORError(.nonFiniteFloat, at: bytes.count) }
        guard !(value == 0 && value.sign == .minus) else { throw DAGCBORError(.negativeZero, at: bytes.count) }
        bytes.append(0xfb)
        appendBigEndian(value.bitPattern)
    }

    /// Writes text (its UTF-8 bytes, unchanged).
    @inlinable
    public mutating func writeString(_ value: String) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeHeader(major: 3, argument: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        if done == nil {
            let utf8 = Array(value.utf8)
            writeHeader(major: 3, argument: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes text given as UTF-8 bytes; the caller guarantees they are valid UTF-8.
    @inlinable
    public mutating func writeText(utf8: UnsafeRawBufferPointer) {
        writeHeader(major: 3, argument: UInt64(utf8.count))
        bytes.append(contentsOf: utf8.assumingMemoryBound(to: UInt8.self))
    }

    /// Writes a byte string.
    @inlinable
    public mutating func writeBytes(_ value: UnsafeRawBufferPointer) {
        writeHeader(major: 2, argument: UInt64(value.count))
        bytes.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
    }

    /// Writes a byte string.
    @inlinable
    public mutating func writeBytes(_ value: [UInt8]) {
        writeHeader(major: 2, argument: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a link: tag 42 around `00` + the binary CID.
    @inlinable
    public mutating func writeLink(_ cid: CID) {
        bytes.append(0xd8)
        bytes.append(0x2a)
        writeHeader(major: 2, argument: UInt64(cid.encodedLength + 1))
        bytes.append(0)
        cid.append(to: &bytes)
    }

    /// Starts a list of `count` items; write them next.
    @inlinable public mutating func beginList(count: Int) { writeHeader(major: 4, argument: UInt64(count)) }
    /// Starts a map of `count` entries; write each key then its value next, keys in canonical order.
    @inlinable public mutating func beginMap(count: Int) { writeHeader(major: 5, argument: UInt64(count)) }

    /// Writes any data-model value.
    public mutating func write(_ value: IPLD) throws(DAGCBORError) {
        try write(value, depth: 0)
    }

    mutating func write(_ value: borrowing IPLD, depth: Int) throws(DAGCBORError) {
        switch value {
        case .null: writeNull()
        case .bool(let b): writeBool(b)
        case .integer(let i): writeInteger(i)
        case .float(let d): try writeFloat(d)
        case .string(let s): writeString(s)
        case .bytes(let b): writeBytes(b)
        case .link(let c): writeLink(c)
        case .list(let items):
            guard depth < maxDepth else { throw DAGCBORError(.depthLimitExceeded(maxDepth), at: bytes.count) }
            beginList(count: items.count)
            // Elements are borrowed through the buffer, not copied out (a retain and release each).
            let failure = items.withUnsafeBufferPointer { buffer -> DAGCBORError? in
                for i in buffer.indices {
                    do throws(DAGCBORError) { try write(buffer[i], depth: depth + 1) } catch { return error }
                }
                return nil
            }
            if let failure { throw failure }
        case .map(let map):
            guard depth < maxDepth else { throw DAGCBORError(.depthLimitExceeded(maxDepth), at: bytes.count) }
            beginMap(count: map.count)
            let failure = map.entries.withUnsafeBufferPointer { buffer -> DAGCBORError? in
                for i in buffer.indices {
                    writeString(buffer[i].key)
                    do throws(DAGCBORError) { try write(buffer[i].value, depth: depth + 1) } catch { return error }
                }
                return nil
            }
            if let failure { throw failure }
        }
    }
}
