import EngramIPLD

extension Transaction {
    /// What the transaction changes so far, against its base, as a commit of it would diff (a
    /// node or edge put back as it was is no change; ids in order).
    public func diff() throws(GraphError) -> GraphDiff {
        var out = GraphDiff()
        for id in changes.nodes.keys.sorted() {
            let old = try base.node(id), new = try node(id)
            if old != new, let change = GraphSnapshot.change(from: old, to: new) { out.nodes.append(change) }
        }
        for id in changes.edges.keys.sorted() {
            let old = try base.edge(id), new = try edge(id)
            if old != new, let change = GraphSnapshot.change(from: old, to: new) { out.edges.append(change) }
        }
        return out
    }
}
