#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EngramIPLD
import Synchronization

extension FileBlockStore {
    /// Appends `blocks` and then a commit record carrying `refUpdates` (each a compare-and-swap)
    /// as one atomic commit. In strict mode the commit is durable when this returns.
    ///
    /// Blocks already stored are not written again. Throws `StoreError.refConflict(name:expected:actual:)`
    /// without writing anything when an expectation fails, and `StoreError.io(operation:path:errno:)`
    /// when the disk refuses; a commit that throws is not visible, and after an I/O failure the
    /// store refuses writes until reopened (recovery then keeps exactly the commits that were durable).
    /// - Returns: the commit's sequence number.
    @discardableResult
    public func commit(blocks: [Block], refUpdates: [RefUpdate] = [], message: String = "") throws -> UInt64 {
        try commit(blocks: blocks, refUpdates: refUpdates, message: message, dedupe: true)
    }

    /// ``commit(blocks:refUpdates:message:)``, optionally writing blocks that are already stored.
    @discardableResult
    func commit(blocks: [Block], refUpdates: [RefUpdate], message: String, dedupe: Bool, waitForSync: Bool = true) throws -> UInt64 {
        guard !options.readOnly else { throw StoreError.readOnly }
        for b in blocks where b.bytes.count > Self.maxBlockSize {
            throw StoreError.blockTooLarge(b.cid, size: b.bytes.count, limit: Self.maxBlockSize)
        }
        for u in refUpdates { try RefName.validate(u.name) }
        while true {
            let epoch = try state.withLock { s in
                if let f = s.failure { throw f }
                return s.epoch
            }
            var fresh: [Block] = []
            var skipped: [CID] = []
            var seen = Set<CID>()
            let unique = blocks.filter { seen.insert($0.cid).inserted }
            let stored = dedupe ? try contains(unique.map(\.cid)) : Array(repeating: false, count: unique.count)
            for (b, isStored) in zip(unique, stored) {
                if isStored { skipped.append(b.cid) } else { fresh.append(b) }
            }
            let payload = fresh.reduce(0) { $0 + $1.bytes.count }
            let level = payload < options.deferCompressionBelow ? nil : options.compressionLevel
            var (buffer, entries) = RecordEncoder.encode(fresh, level: level)
            try JournalLimits.checkCommit(bytes: buffer.count)
            let wait = waitForSync && options.durability.waitsForSync
            if let lsn = try append(&buffer, entries: entries, epoch: epoch, skipped: skipped, updates: refUpdates,
                                    message: message, dedupe: dedupe, publishAtOnce: !wait) {
                if wait { try waitDurable(lsn.lsn) }
                return lsn.sequence
            }
        }
    }

    /// Appends `blocks` as a commit without ref updates and returns without waiting for a sync:
    /// a write session moving staged blocks out of memory. They are readable at once; the
    /// session's final commit makes them durable, since its sync covers every byte appended
    /// before it. Pin them (``pin(_:)``) until a ref reaches them, or a collection may drop them.
    public func stage(_ blocks: [Block]) throws {
        try commit(blocks: blocks, refUpdates: [], message: "", dedupe: true, waitForSync: false)
    }

    /// Stores one block as its own commit.
    public func put(_ block: Block) throws {
        try commit(blocks: [block])
    }

    /// Stores many blocks as one commit.
    public func put(_ blocks: [Block]) throws {
        try commit(blocks: blocks)
    }

    /// Writes the prepared records and the commit record under the lock; nil when a garbage
    /// collection changed the epoch since the dedup check (the caller redoes it).
    private func append(_ buffer: inout [UInt8], entries: [JournalEntry], epoch: UInt64, skipped: [CID],
                        updates: [RefUpdate], message: String, dedupe: Bool, publishAtOnce: Bool) throws -> (lsn: UInt64, sequence: UInt64)? {
        let result = try state.withLock { s -> (lsn: UInt64, sequence: UInt64, roll: Bool)? in
            if s.closed { throw StoreError.closed }
            if let f = s.failure { throw f }
            guard s.epoch == epoch || !dedupe else { return nil }
            try s.pendingRefs.check(updates)
            var rolled = false
            if s.tail > StoreFiles.segmentHeaderLength && s.tail + buffer.count > options.segmentSize {
                try roll(&s)
                rolled = true
            }
            if s.gcProtect != nil { s.gcProtect!.formUnion(skipped) }
            let commit = CommitRecord(
                sequence: s.pendingRefs.sequence + 1, time: Self.now(), message: message,
                updates: updates.map { ($0.name, s.pendingRefs.refs[$0.name], $0.new) })
            try commit.append(to: &buffer)
            let segment = s.segments[s.segments.count - 1]
            let start = s.tail
            do {
                try segment.file.write(buffer, at: start)
            } catch {
                // Leave no partial records behind: later commits must follow a clean tail.
                do { try segment.file.truncate(start) } catch { s.failure = error }
                throw error
            }
            s.tail += buffer.count
            s.appendedLSN += UInt64(buffer.count)
            s.pendingRefs.apply(commit)
            let pending = PendingCommit(
                lsn: s.appendedLSN, segment: segment.number,
                entries: entries.map { JournalEntry(key: $0.key, offset: $0.offset + start, length: $0.length) },
                commit: commit)
            if publishAtOnce { s.publish(pending) } else { s.pending.append(pending) }
            return (s.appendedLSN, commit.sequence, rolled)
        }
        guard let result else { return nil }
        if result.roll { scheduleCompaction() }
        return (result.lsn, result.sequence)
    }

    /// Seals the last segment (synced, so everything in it is durable) and starts the next.
    func roll(_ s: inout State) throws {
        let active = s.segments[s.segments.count - 1]
        do { try active.file.dataSync() } catch {
            s.failure = error
            throw error
        }
        s.durableLSN = s.appendedLSN
        s.publish(upTo: s.durableLSN)
        let next = active.number + 1
        let loader = StoreLoader(directory: directory, sys: sys, writable: true)
        try loader.createSegment(next)
        writeMark(DurableMark(segment: next, offset: StoreFiles.segmentHeaderLength))
        let file = try OpenFile(path: StoreFiles.segment(directory, next), flags: O_RDWR, sys: sys)
        s.sealed.append(SealedSegment(number: active.number, refs: s.pendingRefs))
        s.segments.append(SegmentState(file: file, number: next, index: JournalIndex()))
        s.tail = StoreFiles.segmentHeaderLength
    }

    /// Waits until the journal is durable up to `lsn`. One waiter syncs for all: whoever takes
    /// the sync lock syncs everything appended so far, so concurrent commits share one `fdatasync`.
    /// A failed sync throws `StoreError.commitOutcomeUnknown(path:errno:)`: the commit was
    /// written and may be found at the next open.
    func waitDurable(_ lsn: UInt64) throws {
        try syncLock.withLock { _ in
            let job = try state.withLock { s -> (file: OpenFile, lsn: UInt64, mark: DurableMark)? in
                if s.durableLSN >= lsn { return nil }
                if let f = s.failure { throw f }
                guard let active = s.segments.last else { throw StoreError.closed }
                return (active.file, s.appendedLSN, DurableMark(segment: active.number, offset: s.tail))
            }
            guard let job else { return }
            do throws(StoreError) { try job.file.dataSync() } catch {
                // After a failed fsync the kernel may have dropped the dirty pages: nothing
                // after the last good sync can be trusted until recovery, and every commit
                // waiting on this sync may or may not be found then.
                let unknown: StoreError = if case .io(_, let path, let code) = error { .commitOutcomeUnknown(path: path, errno: code) } else { error }
                state.withLock { s in
                    s.failure = unknown
                    s.pending.removeAll()
                }
                throw unknown
            }
            writeMark(job.mark)
            state.withLock { s in
                s.durableLSN = max(s.durableLSN, job.lsn)
                s.publish(upTo: s.durableLSN)
            }
        }
    }

    /// Records that the journal is durable up to `mark`. Best effort: a mark that is not written
    /// only claims less (see `DurableMark`), so a failure here fails no commit.
    func writeMark(_ mark: DurableMark) {
        let file = writerFiles.withLock { $0.markFile }
        try? file?.write(mark.encode(), at: 0)
    }

    /// Makes every commit appended so far durable (in batched mode; strict commits already are).
    public func flush() throws {
        guard !options.readOnly else { return }
        let target = state.withLock { $0.closed ? 0 : $0.appendedLSN }
        try waitDurable(target)
    }

    func startFlusher(every milliseconds: Int) {
        // usleep takes a UInt32 of microseconds: an hour is the longest interval that fits.
        let interval = min(max(1, milliseconds), 3_600_000)
        BackgroundThread.run { [weak self] in
            while true {
                usleep(UInt32(interval * 1000))
                guard let store = self else { return }
                if store.state.withLock({ $0.closed || $0.failure != nil }) { return }
                try? store.flush()
            }
        }
    }

    static func now() -> Int64 { WallClock.microseconds() }
}

/// Encodes block records for a commit, compressing large batches on several threads.
enum RecordEncoder {
    /// Below this many payload bytes a batch is encoded on the calling thread.
    static let parallelThreshold = 256 << 10

    static func encode(_ blocks: [Block], level: Int32?) -> ([UInt8], [JournalEntry]) {
        let total = blocks.reduce(0) { $0 + $1.bytes.count }
        let workers = total >= parallelThreshold ? min(4, max(1, blocks.count / 16)) : 1
        if workers == 1 { return encode(blocks[...], level: level) }
        let chunk = (blocks.count + workers - 1) / workers
        let parts = Mutex<[Int: ([UInt8], [JournalEntry])]>([:])
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = min(w * chunk, blocks.count)..<min((w + 1) * chunk, blocks.count)
            let part = encode(blocks[range], level: level)
            parts.withLock { $0[w] = part }
        }
        var buffer: [UInt8] = []
        var entries: [JournalEntry] = []
        buffer.reserveCapacity(total + blocks.count * 64 + 256)
        entries.reserveCapacity(blocks.count)
        parts.withLock { parts in
            for w in 0..<workers {
                guard let (bytes, local) = parts[w] else { continue }
                let base = buffer.count
                buffer.append(contentsOf: bytes)
                entries.append(contentsOf: local.map { JournalEntry(key: $0.key, offset: $0.offset + base, length: $0.length) })
            }
        }
        return (buffer, entries)
    }

    private static func encode(_ blocks: ArraySlice<Block>, level: Int32?) -> ([UInt8], [JournalEntry]) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(blocks.reduce(256) { $0 + $1.bytes.count + 64 })
        var entries: [JournalEntry] = []
        entries.reserveCapacity(blocks.count)
        for b in blocks {
            let start = buffer.count
            BlockRecord.append(b, level: level, to: &buffer)
            entries.append(JournalEntry(key: b.cid.indexKey, offset: start, length: buffer.count - start))
        }
        return (buffer, entries)
    }
}
