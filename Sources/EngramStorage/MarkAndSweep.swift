import EngramIPLD

/// Garbage collection over the storage seam alone, for any ``BlockStore`` and ``RefBackend``
/// (the file store has its own, which also compacts and races safely with writers).
///
/// Marks from every ref, from the old and new targets of reflog entries younger than the
/// retention window and from pinned blocks; then deletes the blocks that existed when the
/// collection started and were not reached. Blocks written while it runs are never deleted;
/// a block that existed before and that a concurrent commit links to again may be, so run it
/// while no other writer commits (as `engram gc` holds the writer lock).
public struct MarkAndSweep: Sendable {
    /// What a collection freed, or in a dry run would free.
    public struct Report: Sendable, Hashable, Codable {
        /// Blocks in the store when the collection started.
        public var blocksBefore = 0
        /// Of those, blocks reachable from a ref, a reflog entry within the retention window or a pin.
        public var reachable = 0
        /// Blocks deleted (or that a dry run would delete).
        public var freed = 0
        /// Whether nothing was deleted.
        public var dryRun = false
    }

    /// The blocks to collect.
    public let store: any BlockStore
    /// The refs (and reflog) whose closures are kept.
    public let refs: any RefBackend
    /// Reflog entries younger than this keep their targets (default 14 days, as git).
    public var retentionMicroseconds: Int64

    /// A collector of `store`'s blocks that `refs` no longer reach.
    public init(store: any BlockStore, refs: any RefBackend, retentionMicroseconds: Int64 = 14 * 24 * 3600 * 1_000_000) {
        self.store = store
        self.refs = refs
        self.retentionMicroseconds = retentionMicroseconds
    }

    /// Marks every block reachable from the refs, the recent reflog and the pins, then deletes
    /// the rest (with `dryRun`, only counts them).
    public func run(dryRun: Bool = false) throws -> Report {
        var before: [CID] = []
        try store.forEachCID { before.append($0) }
        var reachable = try BlockLinks.closure(of: try roots(), in: store)
        // Refs may have moved while marking: mark what they reach now, too.
        reachable.formUnion(try BlockLinks.closure(of: try roots(), in: store, stop: reachable))
        let garbage = before.filter { !reachable.contains($0) }
        if !dryRun, !garbage.isEmpty { try store.delete(garbage) }
        return Report(blocksBefore: before.count, reachable: reachable.count, freed: garbage.count, dryRun: dryRun)
    }

    private func roots() throws -> [CID] {
        let cutoff = WallClock.microseconds() - retentionMicroseconds
        var out = try refs.list(prefix: "").compactMap(\.value.cid)
        for e in try refs.reflog(nil) where e.time >= cutoff && RefName.reflogKeepsBlocks(e.name) {
            if let c = e.old?.cid { out.append(c) }
            if let c = e.new?.cid { out.append(c) }
        }
        return out + store.pinned()
    }
}
