import EngramIPLD

/// One commit in a history walk.
public struct LogEntry: Sendable, Hashable {
    public let cid: CID
    public let commit: Commit
}

extension Repository {
    /// The history from `start`, newest first: following first parents only, or the whole DAG
    /// (every ancestor once, by time descending, ties by CID, never before a descendant).
    public func log(from start: CID, firstParent: Bool = false, limit: Int = .max) throws(GraphError) -> [LogEntry] {
        var out: [LogEntry] = []
        if firstParent {
            var next: CID? = start
            while let cid = next, out.count < limit {
                let c = try commit(cid)
                out.append(LogEntry(cid: cid, commit: c))
                next = c.parents.first
            }
            return out
        }
        // Kahn's order over the ancestors: a commit is ready once every child seen is emitted.
        var commits: [CID: Commit] = [:]
        var pendingChildren: [CID: Int] = [:]
        var stack = [start]
        while let cid = stack.popLast() {
            if commits[cid] != nil { continue }
            let c = try commit(cid)
            commits[cid] = c
            for p in c.parents {
                pendingChildren[p, default: 0] += 1
                stack.append(p)
            }
        }
        var ready: [CID] = [start]
        while !ready.isEmpty && out.count < limit {
            var best = 0
            for i in ready.indices.dropFirst() where Self.newer(ready[i], ready[best], commits) { best = i }
            let cid = ready.remove(at: best)
            let c = commits[cid]!
            out.append(LogEntry(cid: cid, commit: c))
            for p in Set(c.parents) {
                pendingChildren[p]! -= c.parents.filter { $0 == p }.count
                if pendingChildren[p] == 0 { ready.append(p) }
            }
        }
        return out
    }

    static func newer(_ a: CID, _ b: CID, _ commits: [CID: Commit]) -> Bool {
        let ta = commits[a]!.time, tb = commits[b]!.time
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
