/// The content-defined chunking rule of DESIGN.md 4.1 (format 1), applied one entry at a time.
///
/// Node boundaries depend only on the keys and the sizes of the entries since the last boundary,
/// so the same entries always split into the same nodes, whatever order built them.
public struct Chunker: Sendable, Hashable {
    /// Below this many payload bytes a node never closes (except at the end of its level).
    public static let minimumSize: UInt64 = 512
    /// At this many payload bytes a node always closes.
    public static let forcedSize: UInt64 = 16384

    /// The tree level (0 = leaves); it seeds the hash, so levels chunk independently.
    public let level: Int
    /// Payload bytes of the node being built (`s0` for the next entry).
    public private(set) var size: UInt64 = 0
    /// Entries in the node being built.
    public private(set) var count: Int = 0

    /// A chunker for the nodes of `level` (0: leaves).
    @inlinable
    public init(level: Int) { self.level = level }

    /// Whether the rule closes a node at an entry, given `s0` (payload before it), its width `w`
    /// and `n` (entries in the node with this one). Pure: the whole rule in one place.
    @inlinable
    public static func isBoundary(key: UnsafeRawBufferPointer, level: Int, before s0: UInt64, width: Int, entries n: Int) -> Bool {
        let s1 = s0 &+ UInt64(width)
        if level > 0 && n < 2 { return false }
        if s1 < minimumSize { return false }
        if s1 >= forcedSize { return true }
        // s1 < 2^14, so s1^4 < 2^56: exact in UInt64.
        let h = XXHash64.hash(key, seed: UInt64(level))
        return (h >> 16) < (s1 &* s1 &* s1 &* s1 &- s0 &* s0 &* s0 &* s0)
    }

    /// Appends an entry of `width` bytes (key bytes plus encoded value or child CID bytes) and
    /// says whether the node closes after it; the state resets when it does.
    public mutating func append(key: UnsafeRawBufferPointer, width: Int) -> Bool {
        count += 1
        if Self.isBoundary(key: key, level: level, before: size, width: width, entries: count) {
            size = 0
            count = 0
            return true
        }
        size &+= UInt64(width)
        return false
    }

    /// Appends an entry whose key is an array.
    public mutating func append(key: [UInt8], width: Int) -> Bool {
        key.withUnsafeBytes { append(key: $0, width: width) }
    }

    /// Advances over `count` entries of `width` bytes in all that are known not to end a node
    /// (a run of an existing node before its last entry, which chunked the same way before).
    public mutating func skip(width: Int, count: Int) {
        size &+= UInt64(width)
        self.count += count
    }

    /// Forgets the node being built.
    public mutating func reset() {
        size = 0
        count = 0
    }
}
