import EngramProlly

extension TextIndex {
    /// Node changes applied per sorted batch, so that a large difference never holds every
    /// changed node in memory at once.
    static let catchUpBatch = 4096

    /// The postings of nodes tree `target`, derived from these (of ``nodes``) by the difference
    /// between the two trees: each node added, removed or changed is re-tokenized and its
    /// postings moved, as a commit would have (SPEC.md 7.11). Reads both trees through
    /// `target.storage`, which also takes the new tree nodes.
    func catchingUp(to target: ProllyTree) throws(GraphError) -> TextIndex {
        let storage = target.storage
        var next = moved(to: storage)
        guard nodes != target.root else { return next }
        let before = ProllyTree(root: nodes, storage: storage)
        var differences = try GraphError.tree { () throws(ProllyError) in try before.diff(to: target) }
        var changes: [EntityID: Node?] = [:], old: [EntityID: Node] = [:]
        func node(_ value: ProllyValue) throws(GraphError) -> Node {
            guard case .link(let cid) = value else { throw .invalidObject(kind: "tree", cid: target.root, reason: "node entry is not a link") }
            return try Node.decode(try storage.blocks.fetchBlock(cid), cid: cid)
        }
        while let d = try GraphError.tree({ () throws(ProllyError) in try differences.next() }) {
            guard let id = EntityID(bytes: d.key) else {
                throw .invalidObject(kind: "tree", cid: target.root, reason: "a nodes tree key is not a 16-byte id")
            }
            if let o = d.change.old { old[id] = try node(o) }
            changes[id] = .some(try d.change.new.map(node))
            if changes.count >= Self.catchUpBatch {
                next = try next.updating(changes, old: old)
                changes = [:]
                old = [:]
            }
        }
        if !changes.isEmpty { next = try next.updating(changes, old: old) }
        next.nodes = target.root
        return next
    }
}
