import EngramIPLD

/// Garbage collection of a ``FileBlockStore``: mark from every ref and from reflog entries
/// younger than the retention window, sweep by rewriting the packs.
///
/// A collection first compacts the whole journal into packs and only ever removes blocks from
/// those packs: a block written after it starts lands in the journal and is never touched.
/// A block whose write was skipped during the collection because it already existed, or that
/// a ref moved onto meanwhile, is re-marked at the end and written back to the journal before
/// the packs are swapped, so a put racing with the collection is never lost.
public struct GarbageCollector: Sendable {
    /// What a collection freed (or, in a dry run, would free).
    public struct Report: Sendable, Hashable, Codable {
        /// Blocks in the store when the collection started.
        public var blocksBefore = 0
        /// Of those, blocks reachable from a ref, a recent reflog entry or a pin.
        public var reachable = 0
        /// Blocks deleted (or that a dry run would delete).
        public var freedBlocks = 0
        /// Their bytes as stored.
        public var freedBytes = 0
        /// Whether nothing was deleted.
        public var dryRun = false
        /// Files of cut syncs left in `quarantine/` longer than the retention window, removed
        /// (or, in a dry run, that would be).
        public var staleQuarantineFiles = 0
        /// Blocks kept because a write or ref change raced with the collection.
        public var rescued = 0
    }

    /// The store collected (the collector needs its writer).
    public let store: FileBlockStore
    /// Reflog entries younger than this keep their targets alive (default 14 days, as git).
    public var retentionMicroseconds: Int64 = 14 * 24 * 3600 * 1_000_000

    /// Runs between marking and sweeping (tests use it to race writes against the collection).
    var afterMark: (@Sendable () throws -> Void)? = nil
    /// Called with the number of blocks marked reachable so far, now and then (for a progress display).
    public var progress: (@Sendable (Int) -> Void)? = nil

    /// A collector of `store`, keeping what reflog entries younger than `retentionMicroseconds` reach.
    public init(store: FileBlockStore, retentionMicroseconds: Int64 = 14 * 24 * 3600 * 1_000_000) {
        self.store = store
        self.retentionMicroseconds = retentionMicroseconds
    }

    /// Runs one collection; a dry run only reports (``plan()``).
    public func run(dryRun: Bool = false) throws -> Report {
        if dryRun { return try plan() }
        guard !store.options.readOnly else { throw StoreError.readOnly }
        let cutoff = FileBlockStore.now() - retentionMicroseconds
        return try store.maintenanceLock.withLock { _ in
            try store.sealAndCompactAll()
            let (packs, roots) = store.state.withLock { s in
                s.gcProtect = []
                s.epoch &+= 1
                return (s.packs, Self.roots(s.refs, cutoff: cutoff) + Array(s.pins.keys))
            }
            defer { store.state.withLock { $0.gcProtect = nil; $0.epoch &+= 1 } }
            var reachable = try BlockLinks.closure(of: roots, in: store, progress: progress)
            try afterMark?()
            var report = Report()
            var candidates = Set<CID>()
            for pack in packs {
                for i in 0..<pack.count {
                    let rec = pack.record(try pack.entry(i))
                    let frame = try Record.read(rec, at: 0)
                    candidates.insert(try BlockRecord.cid(rec, body: frame.body))
                }
            }
            report.blocksBefore = candidates.count
            // Re-mark until no write or ref change raced with the marking, then swap under the lock.
            var rescued = Set<CID>()
            for _ in 0..<100 {
                let (late, seenEpoch) = store.state.withLock { s in
                    (Self.roots(s.refs, cutoff: cutoff) + Array(s.gcProtect ?? []) + Array(s.pins.keys), s.epoch)
                }
                let more = try BlockLinks.closure(of: late, in: store, stop: reachable)
                reachable.formUnion(more)
                let garbageNowLive = more.filter { candidates.contains($0) && !rescued.contains($0) }
                if !garbageNowLive.isEmpty {
                    // Written back to the journal: those bytes then outlive the pack rewrite.
                    let blocks = try garbageNowLive.map { c in Block(unchecked: c, bytes: try store.fetch(c)) }
                    try store.rewriteInJournal(blocks)
                    rescued.formUnion(garbageNowLive)
                    continue
                }
                var finished = false
                let dropped: (blocks: Int, bytes: Int)
                do {
                    dropped = try store.rewritePacks(packs, keep: { reachable.contains($0) }, check: { s in
                        let current = Set(Self.roots(s.refs, cutoff: cutoff)).union(s.gcProtect ?? []).union(s.pins.keys)
                        guard s.epoch == seenEpoch, current.isSubset(of: reachable) else { throw Retry() }
                        finished = true
                    }, manifestChange: { m in
                        m.refs.reflog.removeAll { $0.time < cutoff }
                    }, apply: { s in
                        // Writers that checked for duplicates against the old packs must check again.
                        s.epoch &+= 1
                        s.refs.reflog.removeAll { $0.time < cutoff }
                        s.pendingRefs.reflog.removeAll { $0.time < cutoff }
                    })
                } catch is Retry {
                    // A write or ref change raced the swap: mark again (the pack just written is
                    // not named by any manifest; the next attempt reuses its number).
                    continue
                }
                if finished {
                    let stale = try staleQuarantineFiles(cutoff: cutoff)
                    for path in stale { try store.sys.unlink(path) }
                    report.staleQuarantineFiles = stale.count
                    report.freedBlocks = dropped.blocks
                    report.freedBytes = dropped.bytes
                    report.reachable = reachable.count
                    report.rescued = rescued.count
                    return report
                }
            }
            throw StoreError.corruptStore(path: store.directory, reason: "garbage collection could not settle with concurrent writers")
        }
    }

    private struct Retry: Error {}

    /// What a collection would free now, without changing anything: no lock, no compaction, no
    /// file written, so it runs on a read-only store beside a writer. The byte count is of the
    /// records as they are stored now (a collection first compacts the journal, which may
    /// compress them).
    public func plan() throws -> Report {
        let cutoff = FileBlockStore.now() - retentionMicroseconds
        let roots = store.state.withLock { s in Self.roots(s.refs, cutoff: cutoff) + Array(s.pins.keys) }
        let reachable = try BlockLinks.closure(of: roots, in: store, progress: progress)
        var report = Report(dryRun: true)
        var seen = Set<CID>()
        try store.forEachRecord { cid, record in
            guard seen.insert(cid).inserted, !reachable.contains(cid) else { return }
            report.freedBlocks += 1
            report.freedBytes += record.count
        }
        report.blocksBefore = seen.count
        report.reachable = reachable.count
        report.staleQuarantineFiles = try staleQuarantineFiles(cutoff: cutoff).count
        return report
    }

    /// The quarantine files (SPEC 4.1, 9.3) last written before `cutoff`: a fetch cut that long
    /// ago is not resumed, and a push's file lives only while the push runs.
    func staleQuarantineFiles(cutoff: Int64) throws -> [String] {
        let directory = store.directory + "/quarantine"
        guard store.sys.exists(directory) else { return [] }
        return try store.sys.list(directory).filter { name in
            (name.hasPrefix("fetch-") || name.hasPrefix("push-")) && name.hasSuffix(".car")
        }.map { directory + "/" + $0 }.filter { try store.sys.modificationTime($0) < cutoff }
    }

    static func roots(_ refs: RefState, cutoff: Int64) -> [CID] {
        var out = refs.refs.values.compactMap(\.cid)
        for e in refs.reflog where e.time >= cutoff && RefName.reflogKeepsBlocks(e.name) {
            if let c = e.new?.cid { out.append(c) }
            if let c = e.old?.cid { out.append(c) }
        }
        return out
    }
}

extension FileBlockStore {
    /// Appends blocks to the journal even when they are already stored (a collection rescuing
    /// them from packs it is about to rewrite), durably.
    func rewriteInJournal(_ blocks: [Block]) throws {
        try commit(blocks: blocks, refUpdates: [], message: "gc: rescue", dedupe: false)
        try flush()
    }
}
