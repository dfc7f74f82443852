import EngramIPLD

/// One commit in a history walk.
public struct LogEntry: Sendable, Hashable {
    /// The commit's CID.
    public let cid: CID
    /// The commit.
    public let commit: Commit
}

extension Repository {
    /// The history from `start`, newest first: following first parents only, or the whole DAG
    /// (every ancestor once, by time descending, ties by CID, never before a descendant).
    public func log(from start: CID, firstParent: Bool = false, limit: Int = .max) throws(GraphError) -> [LogEntry] {
        var out: [LogEntry] = []
        try log(from: start, firstParent: firstParent, limit: limit) { entry throws(GraphError) in out.append(entry) }
        return out
    }

    /// The history from `start` as ``log(from:firstParent:limit:)`` orders it, handed to `body`
    /// one commit at a time, so that a caller shows the commits before one that cannot be read
    /// (missing, corrupt) and then gets that commit's error.
    ///
    /// A commit that cannot be read has no known parents or time: it is reported as soon as every
    /// child of it has been handed out, so no commit that may lie behind it comes first.
    public func log(from start: CID, firstParent: Bool = false, limit: Int = .max,
                    _ body: (LogEntry) throws(GraphError) -> Void) throws(GraphError) {
        var count = 0
        if firstParent {
            var next: CID? = start
            while let cid = next, count < limit {
                let c = try commit(cid)
                try body(LogEntry(cid: cid, commit: c))
                count += 1
                next = c.parents.first
            }
            return
        }
        // Kahn's order over the ancestors: a commit is ready once every child seen is emitted.
        var commits: [CID: Commit] = [:]
        var unreadable: [CID: GraphError] = [:]
        var pendingChildren: [CID: Int] = [:]
        var stack = [start]
        while let cid = stack.popLast() {
            if commits[cid] != nil || unreadable[cid] != nil { continue }
            let c: Commit
            do { c = try commit(cid) } catch {
                unreadable[cid] = error
                continue
            }
            commits[cid] = c
            for p in c.parents {
                pendingChildren[p, default: 0] += 1
                stack.append(p)
            }
        }
        var ready: [CID] = [start]
        while !ready.isEmpty && count < limit {
            if let i = ready.firstIndex(where: { unreadable[$0] != nil }), let error = unreadable[ready[i]] { throw error }
            var best = 0
            for i in ready.indices.dropFirst() where Self.newer(ready[i], ready[best], commits) { best = i }
            let cid = ready.remove(at: best)
            guard let c = commits[cid] else { break }
            try body(LogEntry(cid: cid, commit: c))
            count += 1
            for p in Set(c.parents) {
                let left = pendingChildren[p, default: 0] - c.parents.filter { $0 == p }.count
                pendingChildren[p] = left
                if left == 0 { ready.append(p) }
            }
        }
    }

    static func newer(_ a: CID, _ b: CID, _ commits: [CID: Commit]) -> Bool {
        let ta = commits[a]?.time ?? .max, tb = commits[b]?.time ?? .max
        return ta != tb ? ta > tb : a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    /// Every ancestor of `cid`, itself included.
    public func ancestors(of cid: CID) throws(GraphError) -> Set<CID> {
        var seen: Set<CID> = []
        var stack = [cid]
        while let c = stack.popLast() {
            if !seen.insert(c).inserted { continue }
            stack += try commit(c).parents
        }
        return seen
    }

    /// The lowest common ancestor of `a` and `b`: a common ancestor that is no ancestor of
    /// another; among several, the newest by time, then the smallest CID. Nil when unrelated.
    public func mergeBase(_ a: CID, _ b: CID) throws(GraphError) -> CID? {
        let common = try ancestors(of: a).intersection(try ancestors(of: b))
        // A common ancestor reachable from another one by a parent step is not lowest: one walk
        // from the parents of every common ancestor marks them all.
        var reachable: Set<CID> = []
        var stack: [CID] = []
        for c in common { stack += try commit(c).parents }
        while let c = stack.popLast() {
            if reachable.insert(c).inserted { stack += try commit(c).parents }
        }
        let candidates = common.subtracting(reachable)
        var best: (cid: CID, time: Int64)?
        for c in candidates {
            let t = try commit(c).time
            if let b = best, t < b.time || (t == b.time && !c.bytes.lexicographicallyPrecedes(b.cid.bytes)) { continue }
            best = (c, t)
        }
        return best?.cid
    }
}
