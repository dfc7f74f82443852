import Engram
import EngramIPLD
import EngramStorage

/// The commit level of a transfer (SPEC.md 9.3): which commits the receiver holds (its haves
/// and their ancestors) and which it lacks, in an order where each follows a commit that
/// links to it.
struct CommitWalk {
    /// Commits the receiver holds, as far as the sender knows them.
    var known = Set<CID>()
    /// Commits to send, each after one of its children (breadth-first from the wants).
    var new: [CID] = []
    /// Every commit read, by CID.
    var commits: [CID: Commit] = [:]
    /// Wants that are not commits (an archive of any blocks), when those are allowed.
    var plain: [CID] = []

    init(store: any BlockStore, wants: [CID], haves: [CID], commitsOnly: Bool = true) throws(SyncError) {
        var queue: [CID] = []
        for h in haves where try Self.has(h, in: store) { queue.append(h) }
        while let cid = queue.popLast() {
            guard known.insert(cid).inserted else { continue }
            // A have the receiver names must be whole on the sender too; a parent it lacks
            // (a shallow store) just ends the walk there.
            guard let commit = try read(cid, store: store, required: false) else { continue }
            queue += commit.parents
        }
        var seen = Set<CID>()
        var head = 0
        var order: [CID] = []
        for w in wants where !known.contains(w) && seen.insert(w).inserted {
            if !commitsOnly, try !isCommit(w, store: store) { plain.append(w) } else { order.append(w) }
        }
        while head < order.count {
            let cid = order[head]
            head += 1
            guard let commit = try read(cid, store: store, required: true) else { continue }
            for p in commit.parents where !known.contains(p) && seen.insert(p).inserted { order.append(p) }
        }
        new = order
    }

    private mutating func read(_ cid: CID, store: any BlockStore, required: Bool) throws(SyncError) -> Commit? {
        if let c = commits[cid] { return c }
        let bytes: [UInt8]?
        do { bytes = try store.get(cid) } catch { throw .repository(.wrapping(error)) }
        guard let bytes else {
            if required { throw .notFound("commit \(cid)") }
            return nil
        }
        do {
            let commit = try Commit.decode(bytes, cid: cid)
            commits[cid] = commit
            return commit
        } catch {
            throw .notACommit(cid, reason: .cause(error))
        }
    }

    private func isCommit(_ cid: CID, store: any BlockStore) throws(SyncError) -> Bool {
        let bytes: [UInt8]?
        do { bytes = try store.get(cid) } catch { throw .repository(.wrapping(error)) }
        guard let bytes else { throw .notFound("block \(cid)") }
        return (try? Commit.decode(bytes, cid: cid)) != nil
    }

    private static func has(_ cid: CID, in store: any BlockStore) throws(SyncError) -> Bool {
        do { return try store.has(cid) } catch { throw .repository(.wrapping(error)) }
    }
}
