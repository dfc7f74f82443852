import Engram
import EngramIPLD
import EngramStorage

extension Quarantine {
    /// The bytes of `cid` from the quarantine or, failing that, the store.
    func read(_ cid: CID, orFrom store: any BlockStore) throws(SyncError) -> [UInt8]? {
        if let b = try get(cid) { return b }
        do { return try store.get(cid) } catch { throw .repository(.wrapping(error)) }
    }

    /// The commit `cid` (received or stored), or ``SyncError/notACommit(_:reason:)``.
    func commit(_ cid: CID, orFrom store: any BlockStore) throws(SyncError) -> Commit {
        guard let bytes = try read(cid, orFrom: store) else { throw .incomplete(missing: 1, sample: [cid]) }
        do { return try Commit.decode(bytes, cid: cid) } catch { throw .notACommit(cid, reason: .cause(error)) }
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors, reading commits from the
    /// quarantine and the store.
    func isAncestor(_ ancestor: CID, of descendant: CID, store: any BlockStore) throws(SyncError) -> Bool {
        var seen = Set<CID>()
        var queue = [descendant]
        while let c = queue.popLast() {
            if c == ancestor { return true }
            guard seen.insert(c).inserted, try read(c, orFrom: store) != nil else { continue }
            queue += try commit(c, orFrom: store).parents
        }
        return false
    }

    /// Publishes every block held and applies `updates` in one store commit: spilled blocks
    /// are staged first (pinned, unreachable until the commit), the rest go with the commit.
    /// Returns false, publishing nothing reachable, when an update's expectation fails.
    func publish(to store: any BlockStore, refs: any RefBackend, updates: [RefUpdate],
                 message: String) throws(SyncError) -> Bool {
        var pinned: [CID] = []
        defer { store.unpin(pinned) }
        try forEachSpilledBatch(batchBytes: 32 << 20) { (batch) throws(SyncError) in
            let cids = batch.map(\.cid)
            store.pin(cids)
            pinned += cids
            do { try store.stage(batch) } catch { throw .repository(.wrapping(error)) }
        }
        do { return try refs.commit(blocks: memoryBlocks, updates: updates, message: message) }
        catch { throw .repository(.store(error)) }
    }
}
