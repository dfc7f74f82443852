import CLibB2
import Crypto

/// A hash function Engram can compute.
///
/// A repository chooses one at init (``sha2_256`` by default). Multihashes with other codes
/// are parsed and carried, but cannot be computed or verified.
public enum HashFunction: String, Sendable, CaseIterable, CustomStringConvertible {
    /// SHA-256 (multihash 0x12), through swift-crypto. The default.
    case sha2_256 = "sha2-256"
    /// BLAKE2b with a 32-byte digest (multihash 0xb220), through libb2.
    case blake2b_256 = "blake2b-256"

    /// The multihash code of this function.
    @inlinable
    public var code: Multicodec {
        switch self {
        case .sha2_256: .sha2_256
        case .blake2b_256: .blake2b_256
        }
    }

    /// The digest length in bytes.
    public var digestLength: Int { 32 }

    /// The function with multihash code `code`, if Engram can compute it.
    public init?(code: Multicodec) {
        switch code {
        case .sha2_256: self = .sha2_256
        case .blake2b_256: self = .blake2b_256
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// Hashes `bytes`.
    @inlinable
    public func digest(_ bytes: UnsafeRawBufferPointer) -> Digest {
        switch self {
        case .sha2_256:
            var hasher = SHA256()
            hasher.update(bufferPointer: bytes)
            return hasher.finalize().withUnsafeBytes { Digest($0) }
        case .blake2b_256:
            return Self.blake2b256(bytes)
        }
    }

    /// Hashes `bytes`.
    @inlinable
    public func digest(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { digest($0) }
    }

    @usableFromInline
    static func blake2b256(_ bytes: UnsafeRawBufferPointer) -> Digest {
        var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let status = withUnsafeMutableBytes(of: &out) { outBuffer in
            // libb2's one-shot call: blake2b(out, in, key, outlen, inlen, keylen).
            blake2b(outBuffer.baseAddress, bytes.baseAddress, nil, 32, bytes.count, 0)
        }
        // libb2 fails only for a null output or a bad length, neither possible here.
        precondition(status == 0, "libb2 blake2b failed")
        return withUnsafeBytes(of: out) { Digest($0) }
    }
}
