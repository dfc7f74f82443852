import EngramIPLD
import EngramProlly
import EngramStorage
import Synchronization

/// The blocks of one graph commit, staged until the commit's ref update publishes them in a
/// single store commit: with strict durability a graph commit then costs one `fdatasync`, and a
/// commit that fails or is refused leaves nothing behind.
///
/// Reads see staged blocks first. Past ``spillThreshold`` bytes (a bulk load) staged blocks move
/// to the store early, without a sync (`BlockStore.stage(_:)`), and are pinned against
/// garbage collection, as is the commit the session builds on, until the session ends.
final class WriteSession: BlockStore {
    /// Staged bytes beyond which blocks are handed to the store before the commit.
    static let spillThreshold = 32 << 20

    let base: any BlockStore
    /// Staged bytes beyond which blocks move to `base` (``spillThreshold`` unless given).
    let spillAt: Int
    private let staged = Mutex(Staged())

    private struct Staged {
        var blocks: [CID: Block] = [:]
        var order: [CID] = []
        var bytes = 0
        var pinned: [CID] = []
    }

    /// A session over `store`, pinning `commit` (its base) for its lifetime. With `spilling`
    /// false every block stays staged (an overlay in memory over a read-only store).
    init(over store: any BlockStore, pinning commit: CID?, spilling: Bool = true) {
        self.base = store
        self.spillAt = spilling ? Self.spillThreshold : .max
        if let commit {
            store.pin([commit])
            staged.withLock { $0.pinned = [commit] }
        }
    }

    /// Releases the session's pins. Staged blocks not yet published are dropped.
    func end() {
        let pinned = staged.withLock { s in
            defer { s = Staged() }
            return s.pinned
        }
        base.unpin(pinned)
    }

    /// The bytes staged and not yet handed to the store.
    var stagedBytes: Int { staged.withLock { $0.bytes } }

    /// The blocks staged and not yet handed to the store, in the order they were put.
    var pendingBlocks: [Block] {
        staged.withLock { s in s.order.compactMap { s.blocks[$0] } }
    }

    func has(_ cid: CID) throws -> Bool {
        if staged.withLock({ $0.blocks[cid] != nil }) { return true }
        return try base.has(cid)
    }

    func get(_ cid: CID) throws -> [UInt8]? {
        if let block = staged.withLock({ $0.blocks[cid] }) { return block.bytes }
        return try base.get(cid)
    }

    func put(_ block: Block) throws { try put([block]) }

    func put(_ blocks: [Block]) throws {
        let spill: [Block]? = staged.withLock { s in
            for b in blocks where s.blocks.updateValue(b, forKey: b.cid) == nil {
                s.order.append(b.cid)
                s.bytes += b.bytes.count
            }
            guard s.bytes >= spillAt else { return nil }
            let out = s.order.compactMap { s.blocks[$0] }
            s.blocks = [:]
            s.order = []
            s.bytes = 0
            s.pinned += out.map(\.cid)
            return out
        }
        guard let spill else { return }
        base.pin(spill.map(\.cid))
        try base.stage(spill)
    }

    func forEachCID(_ body: (CID) throws -> Void) throws {
        for cid in staged.withLock({ $0.order }) { try body(cid) }
        try base.forEachCID(body)
    }

    func delete(_ cids: [CID]) throws { try base.delete(cids) }
}

extension Repository {
    /// Runs `body` with a write session over this repository's store and `base` moved into it;
    /// the session's pins are released when `body` returns or throws.
    func withWriteSession<T>(over base: GraphSnapshot,
                             _ body: (WriteSession, GraphSnapshot) throws(GraphError) -> T) throws(GraphError) -> T {
        let session = WriteSession(over: store, pinning: base.commitCID)
        defer { session.end() }
        let storage = ProllyStorage(blocks: session, hashFunction: storage.hashFunction, cache: storage.cache)
        return try body(session, base.moved(to: storage))
    }
}

extension GraphSnapshot {
    /// The same graph read (and written) through `storage`.
    func moved(to storage: ProllyStorage) -> GraphSnapshot {
        func move(_ t: ProllyTree) -> ProllyTree { ProllyTree(root: t.root, storage: storage) }
        var s = GraphSnapshot(commitCID: commitCID, commit: commit, nodes: move(nodes), edges: move(edges),
                              index: index.moved(to: storage))
        s.textIndexes = textIndexes
        return s
    }
}
