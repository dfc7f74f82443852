import EngramIPLD

/// The framing of every record in journal segments, packs and the manifest:
/// `length u32 LE | kind u8 | body (length bytes) | crc32c u32 LE` where the CRC covers the
/// length, kind and body bytes.
enum Record {
    /// Bytes of framing around a body.
    static let overhead = 9
    /// The largest body accepted; bigger lengths are treated as damage.
    static let maxBody = FileBlockStore.maxBlockSize + 1024

    enum Kind: UInt8 {
        case block = 1
        case commit = 2
        case manifest = 3
    }

    /// Appends a framed record whose body `writeBody` appends.
    @inlinable
    static func append(kind: Kind, to out: inout [UInt8], _ writeBody: (inout [UInt8]) -> Void) {
        let start = out.count
        out.appendLE(UInt32(0))
        out.append(kind.rawValue)
        writeBody(&out)
        let bodyLength = out.count - start - 5
        out.storeLE(UInt32(bodyLength), at: start)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        out.appendLE(crc)
    }

    /// A record found in a buffer.
    struct Frame {
        let kind: UInt8
        /// Range of the body within the buffer.
        let body: Range<Int>
        /// Total bytes of the record, framing included.
        let length: Int
    }

    /// Why bytes at an offset are not a valid record.
    enum Invalid: Error, Equatable {
        /// Fewer bytes remain than the record needs (a torn tail).
        case truncated
        /// The length is impossible or the checksum does not match.
        case damaged(String)
    }

    /// Reads the record at `offset`, checking its length and CRC.
    static func read(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws(Invalid) -> Frame {
        let left = buffer.count - offset
        guard left >= overhead else { throw .truncated }
        let bodyLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard bodyLength <= maxBody else { throw .damaged("record length \(bodyLength) exceeds \(maxBody)") }
        guard left >= bodyLength + overhead else { throw .truncated }
        let end = offset + 5 + bodyLength
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: end, as: UInt32.self))
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
        guard crc == stored else { throw .damaged("checksum mismatch") }
        return Frame(kind: buffer[offset + 4], body: offset + 5..<end, length: bodyLength + overhead)
    }
}

/// The body of a block record: `CID (binary) | encoding u8 (0 raw, 1 zstd) | raw length u32 LE | payload`.
struct BlockRecord {
    static let raw: UInt8 = 0
    static let zstd: UInt8 = 1

    /// Appends a framed block record for `block`, compressed when that saves at least a tenth.
    static func append(_ block: Block, level: Int32?, to out: inout [UInt8]) {
        block.bytes.withUnsafeBytes { append(cid: block.cid, canonical: $0, level: level, to: &out) }
    }

    /// Appends a framed block record for the canonical bytes `canonical` of `cid` (which the
    /// caller vouches for), compressed when that saves at least a tenth.
    static func append(cid: CID, canonical: UnsafeRawBufferPointer, level: Int32?, to out: inout [UInt8]) {
        Record.append(kind: .block, to: &out) { body in
            cid.append(to: &body)
            let encodingAt = body.count
            body.append(raw)
            body.appendLE(UInt32(canonical.count))
            let compressed = level.map { Zstd.compressIfWorthwhile(canonical, level: $0, into: &body) } ?? false
            if compressed { body[encodingAt] = zstd } else { body.append(contentsOf: canonical) }
        }
    }

    /// Reads only the CID of a block record body.
    static func cid(_ buffer: UnsafeRawBufferPointer, body: Range<Int>) throws(ByteReader.Failure) -> CID {
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<body.upperBound]), offset: body.lowerBound)
        return try r.cid()
    }

    /// The fields of a block record body, without decompressing: the payload's range in `buffer`.
    static func header(_ buffer: UnsafeRawBufferPointer, body: Range<Int>) throws(ByteReader.Failure)
        -> (cid: CID, encoding: UInt8, rawLength: Int, payload: Range<Int>) {
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buffer[..<body.upperBound]), offset: body.lowerBound)
        let cid = try r.cid()
        let encoding = try r.read(UInt8.self)
        let length = Int(try r.read(UInt32.self))
        return (cid, encoding, length, r.offset..<body.upperBound)
    }

    /// Decodes a block record body into its CID and canonical bytes.
    static func decode(_ buffer: UnsafeRawBufferPointer, body: Range<Int>) throws(ByteReader.Failure) -> (CID, [UInt8]) {
        let (cid, encoding, length, range) = try header(buffer, body: body)
        guard length <= FileBlockStore.maxBlockSize else { throw .init(offset: range.lowerBound, reason: "block length \(length) over the limit") }
        let payload = UnsafeRawBufferPointer(rebasing: buffer[range])
        switch encoding {
        case raw:
            guard payload.count == length else { throw .init(offset: range.upperBound, reason: "raw length \(payload.count) != \(length)") }
            return (cid, Array(payload))
        case zstd:
            guard let bytes = Zstd.decompress(payload, length: length) else {
                throw .init(offset: range.upperBound, reason: "zstd payload does not expand to \(length) bytes")
            }
            return (cid, bytes)
        default:
            throw .init(offset: range.lowerBound - 5, reason: "unknown block encoding \(encoding)")
        }
    }
}
