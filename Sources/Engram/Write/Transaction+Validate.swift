import EngramIPLD

extension Transaction {
    /// Checks the changes as a commit of them would (SPEC.md 7.4), without committing, so a bad
    /// change can be refused when it is made: every edge put ends at nodes that exist in the
    /// transaction's state (else ``GraphError/danglingEdge(edge:missingNode:)``), every link in
    /// a property put names a stored block (else ``GraphError/missingLinkedBlock(entity:property:cid:)``).
    /// Ids are checked in order, so the error named is the same every time.
    public func validate() throws(GraphError) {
        for id in changes.edges.keys.sorted() {
            guard case let edge?? = changes.edges[id] else { continue }
            for end in [edge.src, edge.dst] where try node(end) == nil {
                throw .danglingEdge(edge: id, missingNode: end)
            }
        }
        var links = PropertyLinks(store: base.storage.blocks)
        try links.check(changes)
    }
}
