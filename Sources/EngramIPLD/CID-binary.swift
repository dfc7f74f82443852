extension CID {
    /// The longest binary CID: version, codec, hash code and digest length varints, and the
    /// longest digest.
    public static let maxBinaryLength = 4 * Varint.maxLength + Digest.maxLength

    /// The binary form's length.
    public var encodedLength: Int {
        version == 0 ? multihash.encodedLength
            : 1 + Varint.encodedLength(codec.rawValue) + multihash.encodedLength
    }

    /// Appends the binary form: the bare multihash for CIDv0, `01 codec multihash` for CIDv1.
    @inlinable
    public func append(to out: inout [UInt8]) {
        if version == 1 {
            out.append(1)
            try! Varint.write(codec.rawValue, into: &out)
        }
        multihash.append(to: &out)
    }

    /// The binary form.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength)
        append(to: &out)
        return out
    }

    /// Parses a binary CID starting at `offset`, advancing it past the CID.
    public static func read(from buffer: UnsafeRawBufferPointer, at offset: inout Int) throws(CIDError) -> CID {
        guard offset < buffer.count else { throw .empty }
        // A CIDv0 is a bare sha2-256 multihash, which always starts 12 20.
        if buffer[offset] == 0x12, offset + 1 < buffer.count, buffer[offset + 1] == 0x20 {
            let multihash = try Multihash.read(from: buffer, at: &offset)
            return try CID(v0: multihash)
        }
        let version: UInt64
        do { version = try Varint.read(from: buffer, at: &offset) } catch { throw .varint(error) }
        guard version == 1 else { throw .unsupportedVersion(version) }
        let codec: UInt64
        do { codec = try Varint.read(from: buffer, at: &offset) } catch { throw .varint(error) }
        let multihash = try Multihash.read(from: buffer, at: &offset)
        return CID(codec: Multicodec(codec), multihash: multihash)
    }

    /// Parses a binary CID that must span all of `bytes`.
    public init(bytes: [UInt8]) throws(CIDError) {
        self = try bytes.withBytes { (b) throws(CIDError) -> CID in try CID(bytes: b) }
    }

    /// Parses a binary CID that must span all of `bytes`.
    public init(bytes: UnsafeRawBufferPointer) throws(CIDError) {
        var offset = 0
        let cid = try CID.read(from: bytes, at: &offset)
        guard offset == bytes.count else { throw .trailingBytes(offset: offset) }
        self = cid
    }
}
