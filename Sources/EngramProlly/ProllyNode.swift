import EngramIPLD

/// A decoded Prolly tree node: a leaf of entries or a branch of children (DESIGN.md 4.2).
///
/// The node keeps its encoding and a table of where each key (and each leaf value) lies in it,
/// so a node is three or four allocations whatever its entry count, a search touches no
/// reference counts, and a stored block and its decoded node share one buffer. Keys and values
/// are read in place (``withKey(at:_:)``, ``compareKey(at:_:)``) or copied out one at a time
/// (``key(at:)``, ``value(at:)``).
///
/// Nodes are immutable and shared (the node cache hands out the same instance), so this is a
/// final class with `let` fields.
public final class ProllyNode: Sendable {
    /// 0 for leaves; a branch's children are at `level - 1`.
    public let level: Int
    /// The node's encoding (SPEC.md 6.3), whose hash is ``cid``.
    public let bytes: [UInt8]
    /// Branch children (empty for a leaf).
    public let children: [CID]
    /// Entries under each branch child (empty for a leaf).
    public let counts: [UInt64]
    /// The node's CID.
    public let cid: CID
    /// Entries under this node.
    public let entryCount: UInt64
    /// Where things lie in ``bytes`` (a node is at most 64 KiB, so 32 bits suffice): key `i` is
    /// `offsets[2i] ..< offsets[2i + 1]`; in a leaf, value `i`'s item (header included) is
    /// `offsets[2n + i] ..< offsets[2n + i + 1]`, with `n` the entry count.
    @usableFromInline let offsets: [UInt32]
    /// Where the item (header included) of key 0 starts: each next key's item starts where the
    /// previous key ends, so the keys of a run are one contiguous range of ``bytes``.
    @usableFromInline let keyItemsStart: Int
    /// The number of entries.
    public let count: Int

    /// A node over `bytes` with the layout above; the caller has checked it (decoded strictly or
    /// just encoded).
    @usableFromInline
    init(level: Int, bytes: [UInt8], offsets: [UInt32], keyItemsStart: Int, count: Int,
         children: [CID], counts: [UInt64], cid: CID, entryCount: UInt64) {
        self.level = level
        self.bytes = bytes
        self.offsets = offsets
        self.keyItemsStart = keyItemsStart
        self.count = count
        self.children = children
        self.counts = counts
        self.cid = cid
        self.entryCount = entryCount
    }

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
        bytes.withUnsafeBytes { b in
            offsets.withUnsafeBufferPointer { o in
                var low = 0
                var high = count
                while low < high {
                    let mid = (low + high) >> 1
                    let start = Int(o[2 * mid])
                    let candidate = UnsafeRawBufferPointer(start: b.baseAddress! + start, count: Int(o[2 * mid + 1]) - start)
                    if KeyOrder.compare(candidate, key) < 0 { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
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

    /// The encoded item of leaf value `i` (DAG-CBOR, header included).
    @inlinable
    func valueItem(_ i: Int) -> Range<Int> { Int(offsets[2 * count + i])..<Int(offsets[2 * count + i + 1]) }

    /// The encoded length of leaf value `i` (its chunking width beside the key).
    @inlinable
    public func valueLength(at i: Int) -> Int { Int(offsets[2 * count + i + 1] &- offsets[2 * count + i]) }

    /// The chunking width of entry `i`: key bytes plus encoded value or child CID bytes.
    @inlinable
    public func width(at i: Int) -> Int {
        keyLength(at: i) + (level == 0 ? valueLength(at: i) : children[i].encodedLength)
    }
}
