import EngramIPLD
import EngramStore

/// Why a CAR archive could not be read or written. Offsets count bytes from the start of the
/// archive (for a CARv2, from the start of the file, pragma included).
public enum CARError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes ended inside `part`, which began at byte `offset`.
    case truncated(CARPart, offset: Int)
    /// A varint has a shorter encoding (a trailing zero group).
    case nonMinimalVarint(offset: Int)
    /// A varint runs past the 9-byte maximum of multiformats varints.
    case varintTooLong(offset: Int)
    /// The header's declared length is zero or above the limit.
    case headerTooLarge(length: UInt64, limit: Int)
    /// The header's bytes are not one strict DAG-CBOR value (the offset inside is the map's own).
    case headerNotDAGCBOR(DAGCBORError)
    /// The header's map holds bytes after its end, inside its declared length.
    case trailingBytes(CARPart, offset: Int)
    /// The header's `version` is absent or not one this reader reads (1, or 2 for the pragma).
    case unsupportedVersion(String)
    /// The header has no `roots` list.
    case missingRoots
    /// The header is DAG-CBOR but not a CAR header (not a map, roots not links, ...).
    case invalidHeader(reason: String)
    /// The CARv2 fixed header is inconsistent (data payload before the header's end, offsets
    /// that overflow).
    case invalidV2Header(reason: String)
    /// A section's length is zero or too short to hold its CID.
    case invalidSection(reason: String, offset: Int)
    /// A section declares more bytes than a CID and a block under the limit can take.
    case sectionTooLarge(length: UInt64, limit: Int, offset: Int)
    /// A block is above the block limit.
    case blockTooLarge(CID, length: Int, limit: Int, offset: Int)
    /// A section's CID does not parse.
    case invalidCID(CIDError, offset: Int)
    /// A block's bytes do not hash to its CID.
    case hashMismatch(CID, offset: Int)
    /// A block's CID uses a hash function Engram cannot compute, so it cannot be verified.
    case unsupportedHash(CID, offset: Int)
    /// A block's CID has a digest shorter than its hash function's output: any bytes whose hash
    /// starts with it would pass (an empty digest passes all), so it is refused unless
    /// ``CARLimits/allowsTruncatedDigests``.
    case truncatedDigest(CID, offset: Int)
    /// A system call on a CAR file failed.
    case io(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .truncated(let part, let o): "CAR truncated: the \(part) at byte \(o) is cut short"
        case .nonMinimalVarint(let o): "CAR varint at byte \(o) is not minimally encoded"
        case .varintTooLong(let o): "CAR varint at byte \(o) is longer than 9 bytes"
        case .headerTooLarge(let n, let l): "CAR header length \(n) is not in 1...\(l)"
        case .headerNotDAGCBOR(let e): "CAR header is not DAG-CBOR: \(e)"
        case .trailingBytes(let part, let o): "CAR \(part) has unexpected bytes at byte \(o)"
        case .unsupportedVersion(let v): "CAR version \(v) is not supported (1, or 2 with its pragma)"
        case .missingRoots: "CAR header has no roots"
        case .invalidHeader(let r): "CAR header is invalid: \(r)"
        case .invalidV2Header(let r): "CARv2 header is invalid: \(r)"
        case .invalidSection(let r, let o): "CAR section at byte \(o) is invalid: \(r)"
        case .sectionTooLarge(let n, let l, let o): "CAR section at byte \(o) declares \(n) bytes, over the \(l)-byte limit"
        case .blockTooLarge(let c, let n, let l, let o): "CAR block \(c) at byte \(o) is \(n) bytes, over the \(l)-byte limit"
        case .invalidCID(let e, let o): "CAR section at byte \(o) has an invalid CID: \(e)"
        case .hashMismatch(let c, let o): "CAR block at byte \(o) does not hash to its CID \(c)"
        case .unsupportedHash(let c, let o): "CAR block \(c) at byte \(o) cannot be verified: hash \(c.multihash.code) is not supported"
        case .truncatedDigest(let c, let o): "CAR block \(c) at byte \(o) has a truncated \(c.multihash.digest.count)-byte digest, too weak to verify it"
        case .io(let op, let p, let e): "\(op) \(p) failed: \(ErrnoText.describe(e))"
        }
    }
}

/// The part of an archive an error is about.
public enum CARPart: String, Hashable, Sendable, CustomStringConvertible {
    /// The CARv1 header (its length varint and its DAG-CBOR map).
    case header
    /// The CARv2 pragma and fixed 40-byte header, or the padding before its data payload.
    case v2Header = "CARv2 header"
    /// A section: length varint, CID and block bytes.
    case section

    public var description: String { rawValue }
}
