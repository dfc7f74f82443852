import EngramIPLD

/// A decoded Prolly tree node: a leaf of entries or a branch of children (DESIGN.md 4.2).
///
/// Nodes are immutable and shared (the node cache hands out the same instance), so this is a
/// final class with `let` fields.
public final class ProllyNode: Sendable {
    /// 0 for leaves; a branch's children are at `level - 1`.
    public let level: Int
    /// Leaf keys, or for a branch the last key under each child. Strictly increasing.
    public let keys: [[UInt8]]
    /// Leaf values (empty for a branch).
    public let values: [ProllyValue]
    /// Branch children (empty for a leaf).
    public let children: [CID]
    /// Entries under each branch child (empty for a leaf).
    public let counts: [UInt64]
    /// The node's CID.
    public let cid: CID
    /// The length of the node's encoding.
    public let byteCount: Int
    /// Entries under this node.
    public let entryCount: UInt64
    /// The keys in one buffer, for searches.
    @usableFromInline let index: KeyIndex

    @usableFromInline
    init(level: Int, keys: [[UInt8]], values: [ProllyValue], children: [CID], counts: [UInt64],
         cid: CID, byteCount: Int, entryCount: UInt64) {
        self.level = level
        self.keys = keys
        self.values = values
        self.children = children
        self.counts = counts
        self.cid = cid
        self.byteCount = byteCount
        self.entryCount = entryCount
        self.index = KeyIndex(keys)
    }

    @inlinable public var isLeaf: Bool { level == 0 }
    @inlinable public var count: Int { keys.count }
    /// The last key under the node (nil only for the empty map's leaf).
    @inlinable public var lastKey: [UInt8]? { keys.last }

    /// The index of the child a key belongs under: the first whose last key is not less than
    /// `key`, or the last child when `key` is beyond them all.
    @inlinable
    public func childIndex(for key: [UInt8]) -> Int {
        min(lowerBound(key), keys.count - 1)
    }

    /// The index of the first key not less than `key` (``count`` if none).
    @inlinable
    public func lowerBound(_ key: [UInt8]) -> Int {
        key.withUnsafeBytes { index.lowerBound($0) }
    }

    /// The index of `key`, if the node holds it.
    @inlinable
    public func position(of key: [UInt8]) -> Int? {
        key.withUnsafeBytes { k in
            let i = index.lowerBound(k)
            return i < index.ends.count && index.equals(i, k) ? i : nil
        }
    }

    /// The chunking width of entry `i`: key bytes plus encoded value or child CID bytes.
    @inlinable
    public func width(at i: Int) -> Int {
        keys[i].count + (level == 0 ? values[i].encodedLength : children[i].encodedLength)
    }
}
