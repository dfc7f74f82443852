import EngramIPLD
import Synchronization

/// A bounded cache of decoded nodes, shared by every tree over one store, so hot paths do not
/// re-decode.
///
/// Two generations give an LRU approximation in O(1): hits land in the young generation; when it
/// fills, it becomes the old one and the previous old generation is dropped. At most
/// `2 * capacity / 2` nodes are held.
public final class NodeCache: Sendable {
    @usableFromInline struct Generations {
        var young: [CID: ProllyNode] = [:]
        var old: [CID: ProllyNode] = [:]
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
        guard capacity > 0 else { return nil }
        return state.withLock { Self.find(cid, in: &$0, half: capacity / 2) }
    }

    /// Walks from `cid` toward the leaf that `key` belongs in through cached nodes, under one
    /// lock acquisition (a lookup per level would take the lock per level). Returns the leaf when
    /// every node on the way is cached, else nil and the first CID that is not.
    public func descend(from cid: CID, toward key: [UInt8]) -> (leaf: ProllyNode?, missing: CID) {
        guard capacity > 0 else { return (nil, cid) }
        let capacity = capacity
        return state.withLock { g in
            var next = cid
            while let node = Self.find(next, in: &g, half: capacity / 2) {
                if node.level == 0 { return (node, next) }
                next = node.child(at: node.childIndex(for: key))
            }
            return (nil, next)
        }
    }

    @usableFromInline
    static func find(_ cid: CID, in g: inout Generations, half: Int) -> ProllyNode? {
        if let node = g.young[cid] { return node }
        guard let node = g.old.removeValue(forKey: cid) else { return nil }
        add(node, to: &g, half: half)
        return node
    }

    /// Remembers a node.
    public func insert(_ node: ProllyNode) {
        guard capacity > 0 else { return }
        state.withLock { Self.add(node, to: &$0, half: capacity / 2) }
    }

    static func add(_ node: ProllyNode, to g: inout Generations, half: Int) {
        if g.young.count >= max(half, 1) {
            g.old = g.young
            g.young = [:]
        }
        g.young[node.cid] = node
    }

    /// Remembers nodes, under one lock acquisition.
    public func insert(_ nodes: [ProllyNode]) {
        guard capacity > 0, !nodes.isEmpty else { return }
        state.withLock { g in for node in nodes { Self.add(node, to: &g, half: capacity / 2) } }
    }

    /// The number of nodes held.
    public var count: Int { state.withLock { $0.young.count + $0.old.count } }

    /// Drops every node.
    public func removeAll() { state.withLock { $0 = Generations() } }
}
