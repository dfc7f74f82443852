import EngramIPLD

/// A live journal segment and the index of its committed blocks.
struct SegmentState: Sendable {
    let file: OpenFile
    let number: UInt64
    var index: JournalIndex
}

/// A commit appended to the journal but not yet published (strict mode: not yet synced).
struct PendingCommit: Sendable {
    var lsn: UInt64
    var segment: UInt64
    var entries: [JournalEntry]
    var commit: CommitRecord
}

struct JournalEntry: Sendable {
    var key: UInt64
    var offset: Int
    var length: Int
}

/// A segment that will take no more writes, with the refs as of its end.
struct SealedSegment: Sendable {
    var number: UInt64
    var refs: RefState
}

/// Everything a store knows in memory, behind one lock.
struct State: Sendable {
    var manifest: Manifest
    /// Live segments in ascending order; the last takes the writes.
    var segments: [SegmentState]
    /// Packs, most blocks first: a lookup tries them in this order, so a random block is
    /// usually found in the first or second pack (any copy of a block is as good as another).
    var packs: [Pack]
    /// Refs as readers see them (published commits).
    var refs: RefState
    /// Refs including appended, unpublished commits (compare-and-swap checks against these).
    var pendingRefs: RefState
    /// Write offset in the last segment.
    var tail: Int
    /// Bytes appended and bytes known durable, counted over all segments since open.
    var appendedLSN: UInt64 = 0
    var durableLSN: UInt64 = 0
    var pending: [PendingCommit] = []
    var sealed: [SealedSegment] = []
    /// Set when a write or sync failed in a way that leaves the journal's state unknown; every
    /// later write throws it until the store is reopened (and recovered).
    var failure: (any Error)? = nil
    var closed = false
    /// While a garbage collection runs: blocks whose writes were skipped because they existed.
    var gcProtect: Set<CID>? = nil
    /// Changes whenever a collection starts or swaps packs, so writers redo their dedup checks.
    var epoch: UInt64 = 0
    var compactionScheduled = false
    /// Blocks that garbage collection keeps with their closures whatever the refs say (write
    /// sessions' staged blocks and bases), with how many pins each has.
    var pins: [CID: Int] = [:]

    /// Publishes pending commits now covered by `durableLSN`, in journal order.
    mutating func publish(upTo lsn: UInt64) {
        var done = 0
        for p in pending {
            guard p.lsn <= lsn else { break }
            publish(p)
            done += 1
        }
        pending.removeFirst(done)
    }

    mutating func publish(_ p: PendingCommit) {
        if let i = segments.firstIndex(where: { $0.number == p.segment }) {
            for e in p.entries { segments[i].index.insert(key: e.key, offset: e.offset, length: e.length) }
        }
        refs.apply(p.commit)
    }
}
