import EngramIPLD
import EngramStorage

/// An immutable ordered map from byte-string keys to ``ProllyValue``s, stored as a Prolly tree
/// and identified by its root CID (DESIGN.md 4).
///
/// The same entries always give the same root, however they were built, and two versions share
/// every unchanged subtree. Operations that change the map return a new tree; the old one stays
/// valid.
public struct ProllyTree: Sendable {
    /// The root node's CID.
    public let root: CID
    /// Where the nodes live.
    public let storage: ProllyStorage

    /// The tree rooted at `root` in `storage` (not read until used).
    public init(root: CID, storage: ProllyStorage) {
        self.root = root
        self.storage = storage
    }

    /// The empty map, its leaf written to the store (unless `write` is false: a reader of a
    /// read-only store, which reads the leaf without the store).
    public static func empty(in storage: ProllyStorage, write: Bool = true) throws(ProllyError) -> ProllyTree {
        let cid = storage.emptyRoot
        if write { try storage.write([Block(unchecked: cid, bytes: NodeCodec.emptyLeaf)]) }
        return ProllyTree(root: cid, storage: storage)
    }

    /// The root node.
    @inlinable
    public func rootNode() throws(ProllyError) -> ProllyNode { try storage.node(root) }

    /// Levels in the tree (1 for a single leaf).
    public func height() throws(ProllyError) -> Int { try rootNode().level + 1 }

    /// The number of entries, read from the root's counts.
    public func count() throws(ProllyError) -> UInt64 { try rootNode().entryCount }

    /// Whether the map has no entries.
    public func isEmpty() throws(ProllyError) -> Bool { try rootNode().count == 0 }

    /// The value of `key`, or nil when it is absent. Reads one node per level.
    @inlinable
    public func get(_ key: [UInt8]) throws(ProllyError) -> ProllyValue? {
        // Through the cache under one lock when the whole path is cached; otherwise level by
        // level, each child checked against its parent (``ProllyStorage/child(of:at:)``).
        let cached = storage.cache.descend(from: root, toward: key).leaf
        let leaf = if let cached { cached } else { try leaf(toward: key) }
        guard let i = leaf.position(of: key) else { return nil }
        return leaf.value(at: i)
    }

    /// The leaf `key` belongs in, read from the root down.
    @usableFromInline
    func leaf(toward key: [UInt8]) throws(ProllyError) -> ProllyNode {
        var node = try rootNode()
        while node.level > 0 { node = try storage.child(of: node, at: node.childIndex(for: key)) }
        return node
    }

    /// Whether `key` is present.
    @inlinable
    public func contains(_ key: [UInt8]) throws(ProllyError) -> Bool { try get(key) != nil }
}

extension ProllyTree: Equatable {
    /// Trees are equal when their roots are: equal roots mean equal entries.
    public static func == (a: ProllyTree, b: ProllyTree) -> Bool { a.root == b.root }
}
