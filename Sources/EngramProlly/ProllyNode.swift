import EngramIPLD

/// A decoded Prolly tree node: a leaf of entries or a branch of children (DESIGN.md 4.2).
///
/// The node keeps its encoding and one table of where each item lies in it, so a node is two
/// allocations besides its bytes whatever its entry count, a search touches no reference counts,
/// and a stored block and its decoded node share one buffer. Keys, values, child links and
/// counts are read in place (``withKey(at:_:)``, `compareKey(at:_:)`, ``child(at:)``,
/// ``childEntryCount(at:)``) or copied out one at a time (``key(at:)``, ``value(at:)``), and an
/// edit copies runs of entries as byte ranges.
///
/// Nodes are immutable and shared (the node cache hands out the same instance), so this is a
/// final class with `let` fields.
public final class ProllyNode: Sendable {
    /// 0 for leaves; a branch's children are at `level - 1`.
    public let level: Int
    /// The node's encoding (SPEC.md 6.3), whose hash is ``cid``.
    public let bytes: [UInt8]
    /// The node's CID.
    public let cid: CID
    /// Entries under this node.
    public let entryCount: UInt64
    /// The number of entries (keys).
    public let count: Int
    /// Where things lie in ``bytes`` (a node is at most 64 KiB, so 32 bits suffice), with `n`
    /// the entry count: key `i` (without its header) is `offsets[2i] ..< offsets[2i + 1]`; the
    /// DAG-CBOR item of entry `i`'s payload (a leaf's value, a branch's child link) is
    /// `offsets[2n + i] ..< offsets[2n + i + 1]`; in a branch, the item of child `i`'s count is
    /// `offsets[3n + 1 + i] ..< offsets[3n + 2 + i]`.
    @usableFromInline let offsets: [UInt32]
    /// Where the item (header included) of key 0 starts: each next key's item starts where the
    /// previous key ends, so the keys of a run are one contiguous range of ``bytes``, as are
    /// their payloads and counts.
    @usableFromInline let keyItemsStart: Int

    /// A node over `bytes` with the layout above; the caller has checked it (decoded strictly or
    /// just encoded).
    @usableFromInline
    init(level: Int, bytes: [UInt8], offsets: [UInt32], keyItemsStart: Int, count: Int, cid: CID, entryCount: UInt64) {
        self.level = level
        self.bytes = bytes
        self.offsets = offsets
        self.keyItemsStart = keyItemsStart
        self.count = count
        self.cid = cid
        self.entryCount = entryCount
    }

    /// Whether the node holds entries rather than links to children.
    @inlinable public var isLeaf: Bool { level == 0 }
    /// The length of the node's encoding.
    @inlinable public var byteCount: Int { bytes.count }

    /// Runs `body` with key `i`, borrowed from the node.
    @inlinable
    public func withKey<R>(at i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = Int(offsets[2 * i])
        let end = Int(offsets[2 * i + 1])
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Key `i`, copied out.
    @inlinable
    public func key(at i: Int) -> [UInt8] {
        Array(bytes[Int(offsets[2 * i])..<Int(offsets[2 * i + 1])])
    }

    /// The length of key `i`.
    @inlinable
    public func keyLength(at i: Int) -> Int { Int(offsets[2 * i + 1] &- offsets[2 * i]) }

    /// -1, 0 or 1 as key `i` sorts before, equal to or after `key`.
    @inlinable
    public func compareKey(at i: Int, _ key: UnsafeRawBufferPointer) -> Int {
        withKey(at: i) { KeyOrder.compare($0, key) }
    }

    /// -1, 0 or 1 as key `i` sorts before, equal to or after `key`.
    @inlinable
    public func compareKey(at i: Int, _ key: [UInt8]) -> Int {
        key.withUnsafeBytes { compareKey(at: i, $0) }
    }

    /// The last key under the node (nil only for the empty map's leaf).
    @inlinable public var lastKey: [UInt8]? { count == 0 ? nil : key(at: count - 1) }

    /// The index of the child a key belongs under: the first whose last key is not less than
    /// `key`, or the last child when `key` is beyond them all.
    @inlinable
    public func childIndex(for key: [UInt8]) -> Int {
        min(lowerBound(key), count - 1)
    }

    /// The index of the first key not less than `key` (``count`` if none).
    @inlinable
    public func lowerBound(_ key: [UInt8]) -> Int {
        key.withUnsafeBytes { lowerBound($0) }
    }

    /// The index of the first key not less than `key` (``count`` if none): a binary search over
    /// the keys in place.
    @inlinable
    public func lowerBound(_ key: UnsafeRawBufferPointer) -> Int {
        withView { $0.lowerBound(key) }
    }

    /// The index of `key`, if the node holds it.
    @inlinable
    public func position(of key: [UInt8]) -> Int? {
        key.withUnsafeBytes { k in
            let i = lowerBound(k)
            return i < count && compareKey(at: i, k) == 0 ? i : nil
        }
    }

    /// Where the encoded item of key `i` (its byte-string header included) starts.
    @inlinable
    func keyItemStart(_ i: Int) -> Int { i == 0 ? keyItemsStart : Int(offsets[2 * i - 1]) }

    /// The DAG-CBOR item of entry `i`'s payload: a leaf's value or a branch's child link.
    @inlinable
    func payloadItem(_ i: Int) -> Range<Int> { Int(offsets[2 * count + i])..<Int(offsets[2 * count + i + 1]) }

    /// The chunking width of entry `i`: key bytes plus the encoded value (leaf) or the child
    /// CID's binary length (branch).
    @inlinable
    public func width(at i: Int) -> Int {
        withView { $0.width(i) }
    }

    /// Whether entry `i`'s payload (value or child link) equals entry `j`'s of `other`: encodings
    /// are canonical, so equal payloads have equal bytes, compared in place.
    @inlinable
    public func hasSamePayload(at i: Int, as other: ProllyNode, at j: Int) -> Bool {
        let a = payloadItem(i)
        let b = other.payloadItem(j)
        guard a.count == b.count else { return false }
        return bytes.withUnsafeBytes { x in
            other.bytes.withUnsafeBytes { y in
                KeyOrder.compare(UnsafeRawBufferPointer(rebasing: x[a]), UnsafeRawBufferPointer(rebasing: y[b])) == 0
            }
        }
    }
}
