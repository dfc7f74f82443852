/// Resource limits of a decode, checked before anything is allocated.
public struct DAGCBORLimits: Sendable, Hashable {
    /// The deepest nesting of lists and maps accepted.
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxSize: Int
    /// Accept only DASL links (CIDv1, dag-cbor or raw, sha2-256 or blake3, 32-byte digest), as
    /// atproto and DASL tools require. Off by default: plain IPLD rightly accepts every CID.
    public var requireDASLLinks: Bool

    /// Limits of `maxDepth` nesting levels and `maxSize` bytes; `requireDASLLinks` refuses links
    /// outside the DASL subset.
    public init(maxDepth: Int = 256, maxSize: Int = 16 << 20, requireDASLLinks: Bool = false) {
        self.maxDepth = maxDepth
        self.maxSize = maxSize
        self.requireDASLLinks = requireDASLLinks
    }

    /// 256 levels, 16 MiB, any CID.
    public static let `default` = DAGCBORLimits()
    /// The defaults with DASL links only.
    public static let dasl = DAGCBORLimits(requireDASLLinks: true)
}
