/// A self-describing hash: `varint(code) varint(length) digest`.
public struct Multihash: Hashable, Sendable {
    /// The hash function's code.
    public let code: Multicodec
    /// The digest bytes.
    public let digest: Digest

    /// A multihash from its parts. Truncated digests are allowed, as the multihash format does.
    @inlinable
    public init(code: Multicodec, digest: Digest) {
        self.code = code
        self.digest = digest
    }

    /// Hashes `bytes` with `function`.
    @inlinable
    public init(hashing bytes: UnsafeRawBufferPointer, with function: HashFunction) {
        self.init(code: function.code, digest: function.digest(bytes))
    }

    /// Hashes `bytes` with `function`.
    @inlinable
    public init(hashing bytes: [UInt8], with function: HashFunction) {
        self.init(code: function.code, digest: function.digest(bytes))
    }

    /// The identity multihash of `bytes` (the bytes themselves, inline).
    public static func identity(_ bytes: [UInt8]) throws(CIDError) -> Multihash {
        guard bytes.count <= Digest.maxLength else { throw .digestTooLong(bytes.count) }
        return Multihash(code: .identity, digest: Digest(bytes))
    }

    /// The binary form's length.
    public var encodedLength: Int {
        Varint.encodedLength(code.rawValue) + Varint.encodedLength(UInt64(digest.count)) + digest.count
    }

    /// Appends the binary form.
    @inlinable
    public func append(to out: inout [UInt8]) {
        // Codes come from parsed varints or our constants, so they always fit in 9 bytes.
        try! Varint.write(code.rawValue, into: &out)
        try! Varint.write(UInt64(digest.count), into: &out)
        digest.append(to: &out)
    }

    /// The binary form.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength)
        append(to: &out)
        return out
    }

    /// Parses a multihash from the start of `buffer` at `offset`, advancing it.
    public static func read(from buffer: UnsafeRawBufferPointer, at offset: inout Int) throws(CIDError) -> Multihash {
        let code: UInt64
        let length: UInt64
        do {
            code = try Varint.read(from: buffer, at: &offset)
            length = try Varint.read(from: buffer, at: &offset)
        } catch {
            throw .varint(error)
        }
        guard length <= UInt64(Digest.maxLength) else { throw .digestTooLong(Int(length)) }
        guard buffer.count - offset >= Int(length) else {
            throw .truncatedDigest(expected: Int(length), available: buffer.count - offset)
        }
        let digest = Digest(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + Int(length)]))
        offset += Int(length)
        return Multihash(code: Multicodec(code), digest: digest)
    }

    /// Parses a binary multihash that must span all of `bytes`.
    public init(bytes: [UInt8]) throws(CIDError) {
        var offset = 0
        self = try bytes.withBytes { (b) throws(CIDError) -> Multihash in try Multihash.read(from: b, at: &offset) }
        guard offset == bytes.count else { throw .trailingBytes(offset: offset) }
    }

    /// Whether `bytes` hash to this multihash. Throws when the function is not one Engram computes.
    public func verify(_ bytes: UnsafeRawBufferPointer) throws(CIDError) -> Bool {
        if code == .identity { return digest.withUnsafeBytes { $0.elementsEqual(bytes) } }
        guard let function = HashFunction(code: code) else { throw .unsupportedHash(code) }
        let full = function.digest(bytes)
        if digest.count == full.count { return full == digest }
        // A truncated multihash matches on its prefix, as the multihash format allows.
        guard digest.count < full.count else { return false }
        return full.withUnsafeBytes { f in digest.withUnsafeBytes { d in f.prefix(d.count).elementsEqual(d) } }
    }
}

extension Multihash: CustomStringConvertible {
    /// `code:hexdigest`, e.g. `sha2-256:e3b0c442...`.
    public var description: String { "\(code):\(digest)" }
}
