import EngramIPLD
import Synchronization

/// A bounded cache of decoded nodes, shared by every tree over one store, so hot paths do not
/// re-decode.
///
/// Two generations give an LRU approximation in O(1): hits land in the young generation; when it
/// fills, it becomes the old one and the previous old generation is dropped. At most
/// `2 * capacity / 2` nodes are held.
public final class NodeCache: Sendable {
    /// A CID as a cache key, hashed by its digest bytes alone (one pass of the hasher, not one
    /// per field); equality is still the whole CID's.
    @usableFromInline struct Key: Hashable {
        @usableFromInline let cid: CID

        @inlinable init(_ cid: CID) { self.cid = cid }

        @inlinable
        func hash(into hasher: inout Hasher) {
            cid.multihash.digest.withUnsafeBytes { hasher.combine(bytes: $0) }
        }

        @inlinable
        static func == (a: Key, b: Key) -> Bool { a.cid == b.cid }
    }

    @usableFromInline struct Generations {
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
        guard capacity > 0 else { return nil }
        return state.withLock { Self.find(Key(cid), in: &$0, half: capacity / 2) }
    }

    /// Walks from `cid` toward the leaf that `key` belongs in through cached nodes, under one
    /// lock acquisition (a lookup per level would take the lock per level). Returns the leaf when
    /// every node on the way is cached, else nil and the first CID that is not.
    public func descend(from cid: CID, toward key: [UInt8]) -> (leaf: ProllyNode?, missing: CID) {
        guard capacity > 0 else { return (nil, cid) }
        let capacity = capacity
        return state.withLock { g in
            var next = cid
            while let node = Self.find(Key(next), in: &g, half: capacity / 2) {
                if node.level == 0 { return (node, next) }
                next = node.child(at: node.childIndex(for: key))
            }
            return (nil, next)
        }
    }

    @usableFromInline
    static func find(_ key: Key, in g: inout Generations, half: Int) -> ProllyNode? {
        if let node = g.young[key] { return node }
        guard let node = g.old.removeValue(forKey: key) else { return nil }
        add(node, to: &g, half: half)
        return node
    }

    /// Remembers a node.
    public func insert(_ node: ProllyNode) {
        guard capacity > 0 else { return }
        state.withLock { Self.add(node, to: &$0, half: capacity / 2) }
    }

    static func add(_ node: ProllyNode, to g: inout Generations, half: Int) {
        let half = max(half, 1)
        if g.young.count >= half {
            g.old = g.young
            // Sized for a whole generation at once, not grown by doubling.
            g.young = Dictionary(minimumCapacity: half)
        }
        g.young[Key(node.cid)] = node
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
