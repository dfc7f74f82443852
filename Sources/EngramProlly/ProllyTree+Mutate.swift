import EngramIPLD
import EngramStorage

/// One change in a batch.
public enum ProllyMutation: Hashable, Sendable {
    /// Inserts the key or replaces its value.
    case upsert(key: [UInt8], value: ProllyValue)
    /// Removes the key (nothing happens when it is absent).
    case remove(key: [UInt8])

    /// The key changed.
    public var key: [UInt8] {
        switch self {
        case .upsert(let k, _), .remove(let k): k
        }
    }
}

/// A change at one level: a new entry, a replaced entry, or (nil) a removed one.
struct LevelEdit {
    /// What an entry holds at its level: a leaf value or a child reference.
    enum Payload: Equatable {
        case value(ProllyValue)
        case child(CID, UInt64)
    }

    var key: [UInt8]
    var payload: Payload?
}

extension ProllyTree {
    /// The tree with `mutations` applied (in any order; the last change of a key wins).
    ///
    /// Only the nodes an edit falls in are re-chunked, from the node's start until the new
    /// boundaries meet old ones; every other subtree is reused. The result is the tree a bulk
    /// build of the final entries gives.
    public func applying(_ mutations: [ProllyMutation]) throws(ProllyError) -> ProllyTree {
        guard !mutations.isEmpty else { return self }
        for m in mutations {
            guard m.key.count <= ProllyLimits.maxKeyLength else { throw .keyTooLong(key: m.key, length: m.key.count) }
            if case .upsert(let k, let v) = m { try v.checkLimits(key: k) }
        }
        var edits = Self.sortedEdits(mutations)
        let top = try rootNode()
        if top.count == 0 {
            var builder = ProllyBuilder(storage: storage)
            for edit in edits {
                if case .value(let v)? = edit.payload { try builder.append(key: edit.key, value: v) }
            }
            return try builder.finish()
        }
        // Every node made, all levels; one pending node reused from level to level, with room
        // for a typical node so the common edit does not grow buffers entry by entry.
        var fresh: [ProllyNode] = []
        var pending = PendingNode(level: 0, capacity: 128)
        var level = 0
        while true {
            let (deleted, created) = try rewrite(level: level, edits: edits, top: top, pending: &pending)
            fresh += created
            if level == top.level {
                return try finishRoot(created: created, fresh: fresh)
            }
            edits = Self.nextLevelEdits(deleted: deleted, created: created)
            if edits.isEmpty { return self }
            level += 1
        }
    }

    /// The tree with `key` set to `value`.
    public func inserting(_ key: [UInt8], _ value: ProllyValue) throws(ProllyError) -> ProllyTree {
        try applying([.upsert(key: key, value: value)])
    }

    /// The tree without `key`.
    public func removing(_ key: [UInt8]) throws(ProllyError) -> ProllyTree {
        try applying([.remove(key: key)])
    }

    static func sortedEdits(_ mutations: [ProllyMutation]) -> [LevelEdit] {
        func edit(_ m: ProllyMutation) -> LevelEdit {
            switch m {
            case .upsert(let k, let v): LevelEdit(key: k, payload: .value(v))
            case .remove(let k): LevelEdit(key: k, payload: nil)
            }
        }
        if mutations.count == 1 { return [edit(mutations[0])] }
        return KeyOrder.lastWinsOrder(mutations, key: \.key).map { edit(mutations[$0]) }
    }

    /// Re-chunks the nodes of `level` that `edits` fall in, into `pending` (emptied first).
    /// Returns the old nodes replaced and the new nodes, both in key order.
    func rewrite(level: Int, edits: [LevelEdit], top: ProllyNode, pending: inout PendingNode)
        throws(ProllyError) -> (deleted: [ProllyNode], created: [ProllyNode])
    {
        var cursor = LevelCursor(root: top, level: level, storage: storage)
        var deleted: [ProllyNode] = []
        var created: [ProllyNode] = []
        pending.reset(level: level)
        let hash = storage.hashFunction

        var i = 0
        while i < edits.count {
            try cursor.seek(edits[i].key)
            var groupStart = true
            while true {
                let node = cursor.current
                let isLast = cursor.isLast
                let n = node.count
                deleted.append(node)
                var j = 0
                if groupStart {
                    // The node starts at a boundary and chunks as before up to the first edit:
                    // take that run whole (never the last entry, where the old node may have ended).
                    j = min(node.lowerBound(edits[i].key), n - 1)
                    pending.appendRun(of: node, 0..<j)
                    groupStart = false
                }
                while true {
                    let editHere = i < edits.count && (isLast || node.compareKey(at: n - 1, edits[i].key) >= 0)
                    if j < n {
                        if editHere {
                            // Key j against the edit: the edit goes first when key j is not less.
                            let c = node.compareKey(at: j, edits[i].key)
                            if c >= 0 {
                                if let p = edits[i].payload, pending.append(key: edits[i].key, payload: p) {
                                    created.append(pending.close(hashFunction: hash))
                                }
                                i += 1
                                if c == 0 { j += 1 }
                                continue
                            }
                        }
                        // Old entries up to the next edit of this node (or its end) go in as a run.
                        let stop = editHere ? node.lowerBound(edits[i].key) : n
                        let (next, closed) = pending.appendChunked(of: node, from: j, to: stop)
                        if closed { created.append(pending.close(hashFunction: hash)) }
                        j = next
                    } else if editHere {
                        if let p = edits[i].payload, pending.append(key: edits[i].key, payload: p) {
                            created.append(pending.close(hashFunction: hash))
                        }
                        i += 1
                    } else {
                        break
                    }
                }
                if isLast {
                    if !pending.isEmpty { created.append(pending.close(hashFunction: hash)) }
                    break
                }
                // A boundary where an old node ended: from here the old nodes are the new ones.
                if pending.isEmpty { break }
                _ = try cursor.advance()
            }
        }
        return (deleted, created)
    }

    /// The edits one level up: old children removed, new ones added, unchanged pairs dropped.
    static func nextLevelEdits(deleted: [ProllyNode], created: [ProllyNode]) -> [LevelEdit] {
        var out: [LevelEdit] = []
        out.reserveCapacity(deleted.count + created.count)
        var a = 0
        var b = 0
        while a < deleted.count || b < created.count {
            let c = a == deleted.count ? 1 : b == created.count ? -1
                : created[b].withKey(at: created[b].count - 1) { deleted[a].compareKey(at: deleted[a].count - 1, $0) }
            if c < 0 {
                out.append(LevelEdit(key: deleted[a].key(at: deleted[a].count - 1), payload: nil))
                a += 1
            } else {
                let node = created[b]
                if c > 0 || deleted[a].cid != node.cid {
                    out.append(LevelEdit(key: node.key(at: node.count - 1), payload: .child(node.cid, node.entryCount)))
                }
                if c == 0 { a += 1 }
                b += 1
            }
        }
        return out
    }

    /// Makes the new root from the nodes that replaced the old root's level: none (the map is
    /// empty), one (collapsed while it is a branch of one child), or several (levels built
    /// above). Writes the nodes made (`fresh`, every level) and puts them in the node cache, so
    /// the next edit of this path does not decode them again.
    func finishRoot(created: [ProllyNode], fresh: [ProllyNode]) throws(ProllyError) -> ProllyTree {
        var nodes = fresh
        if created.isEmpty {
            try storage.write(nodes.map { Block(unchecked: $0.cid, bytes: $0.bytes) })
            return try ProllyTree.empty(in: storage)
        }
        let root: CID
        if created.count == 1 {
            var node = created[0]
            var dropped: [CID] = []
            while node.level > 0 && node.count == 1 {
                dropped.append(node.cid)
                let child = node.child(at: 0)
                if let f = fresh.first(where: { $0.cid == child }) { node = f } else { node = try storage.node(child) }
            }
            if !dropped.isEmpty { nodes.removeAll { dropped.contains($0.cid) } }
            root = node.cid
        } else {
            var stack = LevelStack(base: created[0].level + 1, hashFunction: storage.hashFunction, keepNodes: true)
            for node in created { try stack.appendChild(node) }
            guard let top = try stack.finish() else { throw .invalidNode(nil, reason: "no root after growth") }
            root = top
            nodes += stack.nodes
        }
        try storage.write(nodes.map { Block(unchecked: $0.cid, bytes: $0.bytes) })
        storage.cache.insert(nodes)
        return ProllyTree(root: root, storage: storage)
    }
}
