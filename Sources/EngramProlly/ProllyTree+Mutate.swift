import EngramIPLD
import EngramStore

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
    var key: [UInt8]
    var payload: LevelEntry.Payload?
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
        if top.keys.isEmpty {
            var builder = ProllyBuilder(storage: storage)
            for edit in edits {
                if case .value(let v)? = edit.payload { try builder.append(key: edit.key, value: v) }
            }
            return try builder.finish()
        }
        var fresh: [CID: ProllyNode] = [:]
        var blocks: [Block] = []
        var level = 0
        while true {
            let (deleted, created) = try rewrite(level: level, edits: edits, top: top, blocks: &blocks)
            for node in created { fresh[node.cid] = node }
            if level == top.level {
                return try finishRoot(created: created, fresh: &fresh, blocks: blocks)
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
        KeyOrder.lastWinsOrder(mutations, key: \.key).map { i in
            switch mutations[i] {
            case .upsert(let k, let v): LevelEdit(key: k, payload: .value(v))
            case .remove(let k): LevelEdit(key: k, payload: nil)
            }
        }
    }

    /// Re-chunks the nodes of `level` that `edits` fall in. Returns the old nodes replaced
    /// (last key, CID) and the new nodes, both in key order.
    func rewrite(level: Int, edits: [LevelEdit], top: ProllyNode, blocks: inout [Block])
        throws(ProllyError) -> (deleted: [(key: [UInt8], cid: CID)], created: [ProllyNode])
    {
        var cursor = LevelCursor(root: top, level: level, storage: storage)
        var deleted: [(key: [UInt8], cid: CID)] = []
        var created: [ProllyNode] = []
        // Room for a typical node, so the common edit does not grow arrays entry by entry.
        var pending = PendingNode(level: level, capacity: 128)
        // Most re-chunks close one node; do not reserve room for a next one that rarely comes.
        pending.reserveOnClose = false
        let hash = storage.hashFunction

        func feed(_ entry: LevelEntry) {
            if pending.append(entry) {
                let node = pending.close(hashFunction: hash)
                blocks.append(Block(unchecked: node.cid, bytes: pending.lastBytes))
                created.append(node)
            }
        }

        var i = 0
        while i < edits.count {
            try cursor.seek(edits[i].key)
            var groupStart = true
            while true {
                let node = cursor.current
                let isLast = cursor.isLast
                let n = node.count
                let end = node.keys[n - 1]
                deleted.append((end, node.cid))
                var j = 0
                if groupStart {
                    // The node starts at a boundary and chunks as before up to the first edit:
                    // take that run whole (never the last entry, where the old node may have ended).
                    j = min(node.lowerBound(edits[i].key), n - 1)
                    pending.appendRun(of: node, 0..<j)
                    groupStart = false
                }
                while true {
                    let editHere = i < edits.count && (isLast || KeyOrder.compare(edits[i].key, end) <= 0)
                    if j < n {
                        if editHere {
                            let c = KeyOrder.compare(edits[i].key, node.keys[j])
                            if c <= 0 {
                                if let p = edits[i].payload { feed(LevelEntry(key: edits[i].key, payload: p)) }
                                i += 1
                                if c == 0 { j += 1 }
                                continue
                            }
                        }
                        feed(LevelEntry(key: node.keys[j], payload: node.isLeaf
                            ? .value(node.values[j]) : .child(node.children[j], node.counts[j])))
                        j += 1
                    } else if editHere {
                        if let p = edits[i].payload { feed(LevelEntry(key: edits[i].key, payload: p)) }
                        i += 1
                    } else {
                        break
                    }
                }
                if isLast {
                    if !pending.isEmpty {
                        let node = pending.close(hashFunction: hash)
                        blocks.append(Block(unchecked: node.cid, bytes: pending.lastBytes))
                        created.append(node)
                    }
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
    static func nextLevelEdits(deleted: [(key: [UInt8], cid: CID)], created: [ProllyNode]) -> [LevelEdit] {
        var out: [LevelEdit] = []
        out.reserveCapacity(deleted.count + created.count)
        var a = 0
        var b = 0
        while a < deleted.count || b < created.count {
            let c = a == deleted.count ? 1 : b == created.count ? -1 : KeyOrder.compare(deleted[a].key, created[b].keys[created[b].count - 1])
            if c < 0 {
                out.append(LevelEdit(key: deleted[a].key, payload: nil))
                a += 1
            } else {
                let node = created[b]
                if c > 0 || deleted[a].cid != node.cid {
                    out.append(LevelEdit(key: node.keys[node.count - 1], payload: .child(node.cid, node.entryCount)))
                }
                if c == 0 { a += 1 }
                b += 1
            }
        }
        return out
    }

    /// Makes the new root from the nodes that replaced the old root's level: none (the map is
    /// empty), one (collapsed while it is a branch of one child), or several (levels built above).
    func finishRoot(created: [ProllyNode], fresh: inout [CID: ProllyNode], blocks: [Block]) throws(ProllyError) -> ProllyTree {
        var blocks = blocks
        if created.isEmpty {
            try storage.write(blocks)
            return try ProllyTree.empty(in: storage)
        }
        var root: CID
        if created.count == 1 {
            var node = created[0]
            var dropped: Set<CID> = []
            while node.level > 0 && node.count == 1 {
                dropped.insert(node.cid)
                let child = node.children[0]
                if let f = fresh[child] { node = f } else { node = try storage.node(child) }
            }
            if !dropped.isEmpty { blocks.removeAll { dropped.contains($0.cid) } }
            root = node.cid
        } else {
            var stack = LevelStack(base: created[0].level + 1, hashFunction: storage.hashFunction, keepNodes: true)
            for node in created {
                try stack.append(LevelEntry(key: node.keys[node.count - 1], payload: .child(node.cid, node.entryCount)))
            }
            guard let top = try stack.finish() else { throw .invalidNode(nil, reason: "no root after growth") }
            root = top
            blocks += stack.blocks
            for node in stack.nodes { fresh[node.cid] = node }
        }
        try storage.write(blocks)
        storage.cache.insert(blocks.compactMap { fresh[$0.cid] })
        return ProllyTree(root: root, storage: storage)
    }
}
