/// A content identifier: a CIDv1 (`varint(1) varint(codec) multihash`) or a legacy CIDv0
/// (a bare sha2-256 multihash of a dag-pb block).
///
/// A `CID` is a fixed-size value: creating, comparing and hashing one never allocates for
/// digests of up to 32 bytes. CIDs with codecs or hashes Engram does not know are still valid
/// links; only computing or verifying such a hash fails.
public struct CID: Hashable, Sendable {
    /// 0 or 1.
    public let version: UInt8
    /// What the addressed bytes are (dag-cbor, raw, ...). Always dag-pb for CIDv0.
    public let codec: Multicodec
    /// The hash of the addressed bytes.
    public let multihash: Multihash

    /// A CIDv1.
    @inlinable
    public init(codec: Multicodec, multihash: Multihash) {
        self.version = 1
        self.codec = codec
        self.multihash = multihash
    }

    /// A CIDv0: a sha2-256 multihash of a dag-pb block. Engram parses and prints these, never makes them.
    public init(v0 multihash: Multihash) throws(CIDError) {
        guard multihash.code == .sha2_256, multihash.digest.count == 32 else { throw .invalidV0 }
        self.version = 0
        self.codec = .dagPB
        self.multihash = multihash
    }

    /// The CIDv1 of `bytes` under `codec`, hashed with `function`.
    @inlinable
    public init(hashing bytes: UnsafeRawBufferPointer, codec: Multicodec = .dagCBOR, function: HashFunction = .sha2_256) {
        self.init(codec: codec, multihash: Multihash(hashing: bytes, with: function))
    }

    /// The CIDv1 of `bytes` under `codec`, hashed with `function`.
    @inlinable
    public init(hashing bytes: [UInt8], codec: Multicodec = .dagCBOR, function: HashFunction = .sha2_256) {
        self.init(codec: codec, multihash: Multihash(hashing: bytes, with: function))
    }

    /// Whether `bytes` are what this CID addresses (their hash matches).
    /// Throws ``CIDError/unsupportedHash(_:)`` for a hash function Engram does not compute.
    public func verify(_ bytes: [UInt8]) throws(CIDError) -> Bool {
        try bytes.withBytes { (b) throws(CIDError) -> Bool in try multihash.verify(b) }
    }

    /// Whether `bytes` are what this CID addresses.
    public func verify(_ bytes: UnsafeRawBufferPointer) throws(CIDError) -> Bool {
        try multihash.verify(bytes)
    }

    /// Whether this CID meets the DASL rules that atproto tools require: CIDv1, dag-cbor or raw,
    /// sha2-256 or blake3, 32-byte digest. Plain IPLD accepts more; Engram makes only such CIDs
    /// (blake2b-256 aside, which DASL does not list).
    public var isDASL: Bool {
        version == 1 && (codec == .dagCBOR || codec == .raw)
            && (multihash.code == .sha2_256 || multihash.code == .blake3) && multihash.digest.count == 32
    }
}

extension CID: Comparable {
    /// Orders CIDs by (version, codec, hash code, digest bytes): stable and allocation-free.
    public static func < (a: CID, b: CID) -> Bool {
        if a.version != b.version { return a.version < b.version }
        if a.codec != b.codec { return a.codec < b.codec }
        if a.multihash.code != b.multihash.code { return a.multihash.code < b.multihash.code }
        return a.multihash.digest < b.multihash.digest
    }
}

/// Why a CID or multihash could not be parsed, made or verified.
public enum CIDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The varint of the version, codec or multihash is malformed.
    case varint(VarintError)
    /// No bytes or no text.
    case empty
    /// A CID version other than 0 and 1.
    case unsupportedVersion(UInt64)
    /// The multihash announces a longer digest than the bytes that follow.
    case truncatedDigest(expected: Int, available: Int)
    /// The multihash announces a digest longer than any supported.
    case digestTooLong(Int)
    /// Bytes follow the CID where none may.
    case trailingBytes(offset: Int)
    /// A CIDv0 that is not a 32-byte sha2-256 multihash in base58btc.
    case invalidV0
    /// A hash function Engram cannot compute, so the CID cannot be made or verified.
    case unsupportedHash(Multicodec)
    /// The text starts with a character that names no multibase.
    case unknownMultibase(Character)
    /// The text is not valid in its multibase encoding.
    case invalidMultibase(encoding: String, reason: String)
    /// The CID is outside the DASL subset (CIDv1, dag-cbor or raw, sha2-256), which the limits require.
    case notDASL(String)
    /// CID text longer than any CID in its multibase encoding.
    case textTooLong(length: Int, limit: Int)

    public var description: String {
        switch self {
        case .varint(let e): "invalid CID: \(e)"
        case .empty: "invalid CID: empty input"
        case .unsupportedVersion(let v): "invalid CID: version \(v) is not 0 or 1"
        case .truncatedDigest(let e, let a): "invalid multihash: digest declares \(e) bytes but \(a) remain"
        case .digestTooLong(let n): "invalid multihash: digest length \(n) exceeds \(Digest.maxLength)"
        case .trailingBytes(let o): "invalid CID: unexpected bytes after byte \(o)"
        case .invalidV0: "invalid CIDv0: must be a 34-byte sha2-256 multihash (12 20 ...)"
        case .unsupportedHash(let c): "hash function \(c) is not supported (Engram computes sha2-256 and blake2b-256)"
        case .unknownMultibase(let c): "invalid CID text: unknown multibase prefix '\(c)'"
        case .invalidMultibase(let e, let r): "invalid \(e) text: \(r)"
        case .notDASL(let r): "CID is not DASL: \(r)"
        case .textTooLong(let n, let l): "invalid CID text: \(n) bytes, longer than any CID in its encoding (\(l))"
        }
    }
}
