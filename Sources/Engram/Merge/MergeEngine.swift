import EngramIPLD
import EngramProlly

/// Three-way merge of graph states: the changes to apply to `ours` so that it also holds what
/// `theirs` changed since `base`, and the conflicts found.
struct MergeEngine {
    let base: GraphSnapshot
    let ours: GraphSnapshot
    let theirs: GraphSnapshot
    var resolutions = MergeResolutions()

    struct Result {
        var changes = ChangeSet()
        /// Conflicts left to the policy.
        var conflicts: [MergeConflict] = []
        /// Field conflicts settled by ``MergeResolutions``.
        var settled: [MergeConflict] = []
    }

    func resolve(_ policy: MergePolicy) throws(GraphError) -> Result {
        var result = Result()
        let ourNodes = try Self.changedIDs(base.nodes, ours.nodes)
        for (id, theirCID) in try Self.changedIDs(base.nodes, theirs.nodes).sorted(by: { $0.key < $1.key }) {
            let resolved = try resolveEntity(.node(id), ours: ourNodes[id], theirs: theirCID, policy: policy,
                                             load: { (s, i) throws(GraphError) in try s.node(i) }, into: &result)
            if let resolved { result.changes.nodes[id] = .some(resolved) }
        }
        let ourEdges = try Self.changedIDs(base.edges, ours.edges)
        for (id, theirCID) in try Self.changedIDs(base.edges, theirs.edges).sorted(by: { $0.key < $1.key }) {
            let resolved = try resolveEntity(.edge(id), ours: ourEdges[id], theirs: theirCID, policy: policy,
                                             load: { (s, i) throws(GraphError) in try s.edge(i) }, into: &result)
            if let resolved { result.changes.edges[id] = .some(resolved) }
        }
        try checkEndpoints(policy, &result)
        return result
    }

    /// Ids whose entry differs between two trees, with the new value (nil: removed).
    static func changedIDs(_ a: ProllyTree, _ b: ProllyTree) throws(GraphError) -> [EntityID: CID?] {
        try GraphError.tree { () throws(ProllyError) in
            var out: [EntityID: CID?] = [:]
            var it = try a.diff(to: b)
            while let d = try it.next() {
                guard let id = EntityID(bytes: d.key) else { continue }
                if case .link(let c)? = d.change.new { out[id] = .some(c) } else { out[id] = .some(nil) }
            }
            return out
        }
    }

    /// The final state for one entity changed by theirs (`.some(nil)`: remove), or nil when
    /// ours needs no change.
    func resolveEntity<T: FieldMergeable & Equatable>(
        _ entity: EntityRef, ours ourChange: CID??, theirs theirCID: CID?, policy: MergePolicy,
        load: (GraphSnapshot, EntityID) throws(GraphError) -> T?, into result: inout Result
    ) throws(GraphError) -> T?? {
        let id: EntityID = switch entity { case .node(let i), .edge(let i): i }
        guard let ourCID = ourChange else {
            // Changed on their side only.
            return .some(theirCID == nil ? nil : try load(theirs, id))
        }
        if ourCID == theirCID { return nil }
        guard let ourCID, let theirCID else {
            let removedBy: MergeSide = ourCID == nil ? .ours : .theirs
            let conflict = MergeConflict(entity: entity, kind: .removedChanged(removedBy: removedBy))
            switch settle(conflict, entity, policy, &result) {
            case .fail, .ours: break
            case .theirs: return .some(theirCID == nil ? nil : try load(theirs, id))
            }
            return nil
        }
        _ = (ourCID, theirCID)
        guard let o = try load(ours, id), let t = try load(theirs, id) else { return nil }
        let merged = mergeFields(base: try load(base, id), ours: o, theirs: t, entity: entity, policy: policy,
                                 resolutions: resolutions)
        result.conflicts += merged.conflicts
        result.settled += merged.settled
        return merged.merged == o ? nil : .some(merged.merged)
    }

    /// Edges must end at nodes that exist after the merge. An edge one side keeps or adds at a
    /// node the other removed is a conflict; `ours` keeps our side, `theirs` theirs.
    func checkEndpoints(_ policy: MergePolicy, _ result: inout Result) throws(GraphError) {
        func exists(_ n: EntityID) throws(GraphError) -> Bool {
            if let staged = result.changes.nodes[n] { return staged != nil }
            return try ours.hasNode(n)
        }
        // Under `fail`, an entity already in conflict is reported once (removed against changed).
        let conflicted = policy == .fail ? Set(result.conflicts.map(\.entity)) : []
        // Their edges at nodes we removed.
        for case let (eid, edge?) in result.changes.edges {
            for n in Set([edge.src, edge.dst]).sorted() where try !exists(n) && !conflicted.contains(.node(n)) {
                let conflict = MergeConflict(entity: .edge(eid), kind: .endpointRemoved(node: n, removedBy: .ours))
                switch settle(conflict, .node(n), policy, &result) {
                case .fail: break
                case .ours: result.changes.edges[eid] = nil
                case .theirs: if let node = try theirs.node(n) { result.changes.nodes[n] = .some(node) }
                }
            }
        }
        // Our edges at nodes they removed.
        let writer = GraphWriter(base: ours)
        for case let (nid, nil) in result.changes.nodes {
            for eid in try writer.incidentEdges(of: nid) where result.changes.edges[eid] == nil && !conflicted.contains(.edge(eid)) {
                if try base.hasEdge(eid), try !Self.changedIDs(base.edges, ours.edges, only: eid) { continue }
                let conflict = MergeConflict(entity: .edge(eid), kind: .endpointRemoved(node: nid, removedBy: .theirs))
                switch settle(conflict, .node(nid), policy, &result) {
                case .fail: break
                case .ours: result.changes.nodes[nid] = nil
                case .theirs: result.changes.edges[eid] = .some(nil)
                }
            }
        }
    }

    /// The policy for one conflict that is not about a field: the settlement of its entity (or,
    /// for an edge at a removed node, of that node) when there is one, listing the conflict as
    /// settled; else `policy`, listing it as a conflict.
    func settle(_ conflict: MergeConflict, _ related: EntityRef, _ policy: MergePolicy, _ result: inout Result) -> MergePolicy {
        guard let side = resolutions.resolution(conflict.entity) ?? resolutions.resolution(related) else {
            result.conflicts.append(conflict)
            return policy
        }
        result.settled.append(conflict)
        return side == .ours ? .ours : .theirs
    }

    /// Whether entry `id` differs between two trees.
    static func changedIDs(_ a: ProllyTree, _ b: ProllyTree, only id: EntityID) throws(GraphError) -> Bool {
        try GraphError.tree { () throws(ProllyError) in try a.get(id.bytes) != b.get(id.bytes) }
    }
}
