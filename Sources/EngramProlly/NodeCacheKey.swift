import EngramIPLD

extension NodeCache {
    /// A CID as a cache key: its fields as plain integers, so keys copy, compare and hash without
    /// reference counting, and one is read straight from a link in a node's bytes (a lookup
    /// descends a tree without building a `CID` per level). Only digests of up to 32 bytes fit,
    /// which covers every hash function Engram computes; nodes named otherwise are not cached.
    @usableFromInline
    struct Key: Hashable, Sendable {
        @usableFromInline var digest: (UInt64, UInt64, UInt64, UInt64)
        @usableFromInline var codec: UInt64
        @usableFromInline var code: UInt64
        /// The CID version in the low byte, the digest length above it.
        @usableFromInline var versionAndLength: UInt64

        /// The key of `cid`, or nil when its digest is over 32 bytes.
        @inlinable
        init?(_ cid: CID) {
            let digest = cid.multihash.digest
            guard digest.count <= 32 else { return nil }
            codec = cid.codec.rawValue
            code = cid.multihash.code.rawValue
            versionAndLength = UInt64(cid.version) | UInt64(digest.count) << 8
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            digest.withUnsafeBytes { d in Swift.withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: d) } }
            self.digest = words
        }

        @inlinable
        init(digest: (UInt64, UInt64, UInt64, UInt64), codec: UInt64, code: UInt64, versionAndLength: UInt64) {
            self.digest = digest
            self.codec = codec
            self.code = code
            self.versionAndLength = versionAndLength
        }

        /// The key of the CID in a link item (`d8 2a`, a byte-string header, `00`, the binary
        /// CID) of a checked node, or nil when its digest is over 32 bytes.
        @inlinable
        static func of(link item: UnsafeRawBufferPointer) -> Key? {
            var at = 3 + cborHeaderLength(initial: item[2])
            // A CIDv0 (a bare multihash) is rare: the general parser handles it.
            guard item[at] == 1 else { return Key(ProllyNode.link(in: item)) }
            at += 1
            // Varints of a checked CID: seven bits a byte, low first.
            func varint() -> UInt64 {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while true {
                    let byte = item[at]
                    at += 1
                    value |= UInt64(byte & 0x7f) << shift
                    if byte < 0x80 { return value }
                    shift += 7
                }
            }
            let codec = varint()
            let code = varint()
            let length = Int(varint())
            guard length <= 32 else { return nil }
            var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            Swift.withUnsafeMutableBytes(of: &digest) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: item[at..<at + length]))
            }
            return Key(digest: digest, codec: codec, code: code, versionAndLength: 1 | UInt64(length) << 8)
        }

        @inlinable
        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.codec == b.codec && a.code == b.code && a.versionAndLength == b.versionAndLength
        }

        @inlinable
        func hash(into hasher: inout Hasher) {
            // The digest of a hash function Engram computes is uniform and cannot be steered:
            // its first word is hash enough. Other digests (identity ones are chosen freely)
            // are hashed whole, so crafted keys cannot pile into one bucket.
            if code == Multicodec.sha2_256.rawValue || code == Multicodec.blake2b_256.rawValue {
                hasher.combine(digest.0)
            } else {
                hasher.combine(digest.0)
                hasher.combine(digest.1)
                hasher.combine(digest.2)
                hasher.combine(digest.3)
                hasher.combine(codec &+ code &* 0x9E37_79B9_7F4A_7C15 &+ versionAndLength << 40)
            }
        }
    }
}
