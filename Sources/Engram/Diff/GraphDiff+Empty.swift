import EngramIPLD

extension GraphSnapshot {
    /// The differences from the empty graph to this one: every node and edge added, in id
    /// order. Reads only this graph, so it works on a read-only store (where the empty tree
    /// ``diff(to:)`` would compare against may not be stored).
    public func diffFromEmpty() throws(GraphError) -> GraphDiff {
        var out = GraphDiff()
        try forEachNode { node throws(GraphError) in out.nodes.append(.added(node)) }
        try forEachEdge { edge throws(GraphError) in out.edges.append(.added(edge)) }
        return out
    }
}
