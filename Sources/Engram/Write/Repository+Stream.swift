import EngramIPLD

extension Repository {
    /// Commits a stream of changes as one commit with bounded memory: into an empty graph each
    /// tree is built once from compact sorted records; otherwise the changes are applied to the
    /// trees in batches of `batchSize`.
    ///
    /// The result is the commit one transaction of every change would give (trees do not depend
    /// on the batches). Later changes of an id replace earlier ones; removing a node removes the
    /// edges it has at that point of the stream (put earlier in the stream or already there);
    /// every edge put and still present at the end must end at existing nodes, else
    /// ``GraphError/danglingEdge(edge:missingNode:)`` and nothing is published; a property value
    /// linking to a block that is not stored throws ``GraphError/missingLinkedBlock(entity:property:cid:)``.
    public func commitStream(on branch: String? = nil, _ info: CommitInfo, batchSize: Int = 250_000,
                             next: () throws(GraphError) -> ChangeOp?) throws(GraphError) -> CID {
        let tx = try transaction(on: branch)
        var links = PropertyLinks(store: store)
        func checkedNext() throws(GraphError) -> ChangeOp? {
            guard let op = try next() else { return nil }
            try links.check(op)
            return op
        }
        return try withWriteSession(over: tx.base) { (session, base) throws(GraphError) in
            try commitStream(over: base, branch: tx.branch, info, batchSize: batchSize, session: session, next: checkedNext)
        }
    }

    private func commitStream(over base: GraphSnapshot, branch: String?, _ info: CommitInfo, batchSize: Int,
                              session: WriteSession, next: () throws(GraphError) -> ChangeOp?) throws(GraphError) -> CID {
        if try base.nodeCount() == 0, try base.edgeCount() == 0 {
            // Into an empty graph: build each tree once from sorted entries.
            var load = BulkLoad(storage: base.storage, textConfig: base.index.text ?? .default)
            while let op = try next() { try load.add(op) }
            return try publish(try load.finish(), over: base, branch: branch, info, session: session)
        }
        var state = base
        var batch = ChangeSet()
        var pending = 0
        // (edge, src, dst) of every edge put, to check once the whole stream is in.
        var puts: [(EntityID, EntityID, EntityID)] = []
        // The edges this batch puts, by endpoint: removing a node removes them too.
        var batchEdges: [EntityID: [EntityID]] = [:]
        // Whether each node the stream touches exists after its last change, and whether any
        // edge may have gone since it was put (so the final check can skip tree lookups).
        var nodePresent: [EntityID: Bool] = [:]
        var edgesMayHaveGone = false
        while let op = try next() {
            batch.apply(op)
            switch op {
            case .putNode(let n): nodePresent[n.id] = true
            case .putEdge(let e):
                puts.append((e.id, e.src, e.dst))
                batchEdges[e.src, default: []].append(e.id)
                if e.dst != e.src { batchEdges[e.dst, default: []].append(e.id) }
            case .deleteNode(let n):
                nodePresent[n] = false
                edgesMayHaveGone = true
                for eid in batchEdges[n] ?? [] {
                    if case let edge?? = batch.edges[eid], edge.src == n || edge.dst == n { batch.removeEdge(eid) }
                }
                // Edges of earlier batches, unless this batch moved them off the node: removed
                // now, as the node may come back later in the batch.
                for eid in try GraphWriter(base: state).incidentEdges(of: n) {
                    if case let edge?? = batch.edges[eid], edge.src != n && edge.dst != n { continue }
                    batch.removeEdge(eid)
                }
            case .deleteEdge: edgesMayHaveGone = true
            }
            pending += 1
            if pending >= batchSize {
                state = try GraphWriter(base: state).apply(batch, checkingEndpoints: false).snapshot
                batch = ChangeSet()
                batchEdges = [:]
                pending = 0
            }
        }
        if pending > 0 { state = try GraphWriter(base: state).apply(batch, checkingEndpoints: false).snapshot }
        var checked: Set<EntityID> = []
        for (edge, src, dst) in puts.reversed() where checked.insert(edge).inserted {
            if edgesMayHaveGone, try !state.hasEdge(edge) { continue }
            for node in [src, dst] {
                let exists = if let known = nodePresent[node] { known } else { try state.hasNode(node) }
                if !exists { throw .danglingEdge(edge: edge, missingNode: node) }
            }
        }
        let written = WrittenState(nodes: state.nodes, edges: state.edges, index: state.index)
        return try publish(written, over: base, branch: branch, info, session: session)
    }
}
