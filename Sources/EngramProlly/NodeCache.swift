import EngramIPLD
import Synchronization

/// A bounded cache of decoded nodes, shared by every tree over one store, so hot paths do not
/// re-decode.
///
/// Two generations give an LRU approximation in O(1): hits land in the young generation; when it
/// fills, it becomes the old one and the previous old generation is dropped. At most
/// `2 * capacity / 2` nodes are held.
public final class NodeCache: Sendable {
    @usableFromInline struct Generations: Sendable {
        var young: [Key: ProllyNode] = [:]
        var old: [Key: ProllyNode] = [:]
    }

    private let state = Mutex(Generations())
    /// The most nodes held (0 disables the cache).
    public let capacity: Int

    /// A cache of at most `capacity` nodes (about 4 KB each on average).
    public init(capacity: Int = 16384) {
        self.capacity = capacity
    }

    /// The cached node, if any.
    @inlinable
    public func node(_ cid: CID) -> ProllyNode? {
        lookup(cid)
    }

    @usableFromInline
    func lookup(_ cid: CID) -> ProllyNode? {
        guard capacity > 0, let key = Key(cid) else { return nil }
        return state.withLock { Self.find(key, in: &$0, half: capacity / 2) }
    }

    /// Walks from `cid` toward the leaf that `key` belongs in through cached nodes, under one
    /// lock acquisition (a lookup per level would take the lock per level), reading each child
    /// link in place. Returns the leaf when every node on the way is cached (and each one level
    /// below its parent and not empty), else nil and the first CID that is not.
    public func descend(from cid: CID, toward key: [UInt8]) -> (leaf: ProllyNode?, missing: CID) {
        guard capacity > 0, var next = Key(cid) else { return (nil, cid) }
        let half = capacity / 2
        return state.withLock { g in
            // The node whose child `next` is, for naming a missing child.
            var parent: (node: ProllyNode, index: Int)? = nil
            while let node = Self.find(next, in: &g, half: half) {
                // A node out of place (only a block put by hand makes one) is left for the
                // caller's checked walk to report.
                if let parent, node.level != parent.node.level - 1 || node.count == 0 { return (nil, node.cid) }
                if node.level == 0 { return (node, node.cid) }
                let i = node.childIndex(for: key)
                guard let child = node.childKey(at: i) else { return (nil, node.child(at: i)) }
                next = child
                parent = (node, i)
            }
            return (nil, parent.map { $0.node.child(at: $0.index) } ?? cid)
        }
    }

    @usableFromInline
    static func find(_ key: Key, in g: inout Generations, half: Int) -> ProllyNode? {
        if let node = g.young[key] { return node }
        guard let node = g.old.removeValue(forKey: key) else { return nil }
        add(node, key, to: &g, half: half)
        return node
    }

    /// Remembers a node.
    public func insert(_ node: ProllyNode) {
        guard capacity > 0, let key = Key(node.cid) else { return }
        state.withLock { Self.add(node, key, to: &$0, half: capacity / 2) }
    }

    static func add(_ node: ProllyNode, _ key: Key, to g: inout Generations, half: Int) {
        let half = max(half, 1)
        if g.young.count >= half {
            g.old = g.young
            // Sized for a whole generation at once, not grown by doubling.
            g.young = Dictionary(minimumCapacity: half)
        }
        g.young[key] = node
    }

    /// Remembers nodes, under one lock acquisition.
    public func insert(_ nodes: [ProllyNode]) {
        guard capacity > 0, !nodes.isEmpty else { return }
        state.withLock { g in
            for node in nodes { if let key = Key(node.cid) { Self.add(node, key, to: &g, half: capacity / 2) } }
        }
    }

    /// The number of nodes held.
    public var count: Int { state.withLock { $0.young.count + $0.old.count } }

    /// Drops every node.
    public func removeAll() { state.withLock { $0 = Generations() } }
}

extension ProllyNode {
    /// The cache key of branch child `i`, read from its link in place.
    @inlinable
    func childKey(at i: Int) -> NodeCache.Key? {
        let item = payloadItem(i)
        return bytes.withUnsafeBytes { NodeCache.Key.of(link: UnsafeRawBufferPointer(rebasing: $0[item])) }
    }
}
