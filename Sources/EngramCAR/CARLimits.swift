import EngramIPLD

/// What a ``CARReader`` accepts and a ``CARWriter`` produces. Every length read from an
/// archive is checked against these before it sizes a buffer.
public struct CARLimits: Hashable, Sendable {
    /// The longest CARv1 header (the DAG-CBOR map, without its length varint).
    public var maxHeaderLength: Int
    /// The longest block (the bytes after the CID in a section).
    public var maxBlockLength: Int
    /// The most roots a header may list.
    public var maxRoots: Int
    /// Whether a section's CID may have a digest shorter than its hash function's output (the
    /// multihash format allows it; it verifies only a prefix). Off by default.
    public var allowsTruncatedDigests: Bool

    /// Limits; the defaults are 8 MiB of header, 2 MiB a block, 65,536 roots and full digests only.
    public init(
        maxHeaderLength: Int = 8 << 20, maxBlockLength: Int = 2 << 20, maxRoots: Int = 1 << 16,
        allowsTruncatedDigests: Bool = false
    ) {
        self.maxHeaderLength = max(0, maxHeaderLength)
        self.maxBlockLength = max(0, maxBlockLength)
        self.maxRoots = max(0, maxRoots)
        self.allowsTruncatedDigests = allowsTruncatedDigests
    }

    /// 8 MiB of header, 2 MiB a block.
    public static let `default` = CARLimits()

    /// The longest CID a section may start with (`CID.maxBinaryLength`).
    public static let maxCIDLength = CID.maxBinaryLength

    /// The longest section body (CID and block) these limits allow.
    var maxSectionLength: Int {
        let (sum, overflow) = maxBlockLength.addingReportingOverflow(Self.maxCIDLength)
        return overflow ? Int.max : sum
    }
}
