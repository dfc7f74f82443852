import EngramIPLD
import Synchronization

/// A bounded cache of decoded nodes, shared by every tree over one store, so hot paths do not
/// re-decode.
///
/// Two generations give an LRU approximation in O(1): hits land in the young generation; when it
/// fills, it becomes the old one and the previous old generation is dropped. At most
/// `2 * capacity / 2` nodes are held.
public final class NodeCache: Sendable {
    struct Generations {
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
        return state.withLock { g in
            if let node = g.young[cid] { return node }
            guard let node = g.old.removeValue(forKey: cid) else { return nil }
            Self.add(node, to: &g, half: capacity / 2)
            return node
        }
    }

    /// Remembers a node.
    public func insert(_ node: ProllyNode) {
        guard capacity > 0 else { return }
        state.withLock { Self.add(node, to: &$0, half: capacity / 2) }
    }

    private static func add(_ node: ProllyNode, to g: inout Generations, half: Int) {
        if g.young.count >= max(half, 1) {
            g.old = g.young
            g.young = [:]
        }
        g.young[node.cid] = node
    }

    /// The number of nodes held.
    public var count: Int { state.withLock { $0.young.count + $0.old.count } }

    /// Drops every node.
    public func removeAll() { state.withLock { $0 = Generations() } }
}
