/// The digest bytes of a multihash, held inline for digests up to 32 bytes.
///
/// Every hash Engram writes (sha2-256, blake2b-256) has a 32-byte digest, so a digest is a
/// plain value with no heap storage on every hot path. Longer digests (sha2-512, sha3-512,
/// identity hashes of inline data) carry their extra bytes in `overflow`.
public struct Digest: Sendable {
    /// The first (up to) 32 bytes, in memory order.
    @usableFromInline var inline: (UInt64, UInt64, UInt64, UInt64)
    /// Bytes 32 and on, when the digest is longer than 32 bytes.
    @usableFromInline var overflow: [UInt8]?
    /// The digest length in bytes.
    public let count: Int

    /// The longest digest accepted when parsing; identity multihashes may inline this much data.
    public static let maxLength = 4096
    @usableFromInline static let inlineCapacity = 32

    /// Copies a digest out of `bytes`.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        inline = (0, 0, 0, 0)
        let head = min(bytes.count, Self.inlineCapacity)
        withUnsafeMutableBytes(of: &inline) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<head])) }
        overflow = bytes.count > Self.inlineCapacity ? Array(bytes[Self.inlineCapacity...]) : nil
    }

    /// Copies a digest out of an array.
    @inlinable
    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { Digest($0) }
    }

    /// Calls `body` with the digest's bytes. Allocates only for digests over 32 bytes.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        if let overflow {
            var all = [UInt8](repeating: 0, count: count)
            Swift.withUnsafeBytes(of: inline) { head in
                all.withUnsafeMutableBytes { $0.copyMemory(from: head) }
            }
            all.replaceSubrange(Self.inlineCapacity..., with: overflow)
            return try all.withBytes { (b) throws(E) -> R in try body(b) }
        }
        var copy = inline
        return try Swift.withUnsafeBytes(of: &copy) { (raw) throws(E) -> R in
            try body(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
        }
    }

    /// The digest as a new array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Appends the digest bytes to `out`.
    @inlinable
    public func append(to out: inout [UInt8]) {
        Swift.withUnsafeBytes(of: inline) { out.append(contentsOf: $0.prefix(min(count, Self.inlineCapacity))) }
        if let overflow { out.append(contentsOf: overflow) }
    }
}

extension Digest: Hashable {
    @inlinable
    public static func == (a: Digest, b: Digest) -> Bool {
        a.count == b.count && a.inline == b.inline && a.overflow == b.overflow
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(inline.0)
        hasher.combine(inline.1)
        hasher.combine(inline.2)
        hasher.combine(inline.3)
        hasher.combine(count)
        if let overflow { hasher.combine(overflow) }
    }
}

extension Digest: Comparable {
    /// Bytewise order of the digests, a shorter digest first when one is a prefix of the other.
    public static func < (a: Digest, b: Digest) -> Bool {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                x.lexicographicallyPrecedes(y)
            }
        }
    }
}

extension Digest: CustomStringConvertible {
    /// The digest in lowercase hex.
    public var description: String { Hex.encode(bytes) }
}
