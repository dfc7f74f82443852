import EngramIPLD

extension Array where Element == UInt8 {
    @inlinable
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Writes `value` little-endian over the bytes at `offset`.
    @inlinable
    mutating func storeLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }

    /// Appends a length-prefixed (u16) UTF-8 string.
    mutating func appendShortString(_ s: String) {
        let utf8 = Array(s.utf8)
        appendLE(UInt16(truncatingIfNeeded: utf8.count))
        append(contentsOf: utf8)
    }
}

/// A bounds-checked little-endian reader over borrowed bytes; every overrun is a typed failure.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset: Int

    /// Why the bytes could not be read: the offset and what was expected there.
    struct Failure: Error { let offset: Int; let reason: String }

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(Failure) -> T {
        guard remaining >= MemoryLayout<T>.size else { throw Failure(offset: offset, reason: "truncated \(T.self)") }
        let v = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return v
    }

    mutating func bytes(_ n: Int) throws(Failure) -> UnsafeRawBufferPointer {
        guard n >= 0, remaining >= n else { throw Failure(offset: offset, reason: "\(n) bytes declared, \(remaining) left") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + n])
    }

    mutating func shortString() throws(Failure) -> String {
        let n = Int(try read(UInt16.self))
        let raw = try bytes(n)
        guard let s = String(validating: raw, as: UTF8.self) else { throw Failure(offset: offset - n, reason: "invalid UTF-8") }
        return s
    }

    mutating func cid() throws(Failure) -> CID {
        do { return try CID.read(from: buffer, at: &offset) } catch { throw Failure(offset: offset, reason: "invalid CID: \(error)") }
    }
}
