import EngramProlly

extension GraphSnapshot {
    /// The index trees, for a query. Only the current key format is read: prefix scans over
    /// format 1 keys were not exact (a text ended by a bare `00`), so they are refused rather
    /// than answered wrongly.
    func queryableIndex() throws(GraphError) -> IndexTrees {
        guard index.format == IndexSet.currentFormat else {
            throw .unsupportedIndexFormat(found: index.format, supported: IndexSet.currentFormat)
        }
        return index
    }

    /// The index trees a commit over this state starts from: those of an older key format are
    /// rebuilt from the nodes and edges (indexes are derived data), a newer format is refused.
    /// A state written before the vectors and validity trees existed gets them built.
    func writableIndex() throws(GraphError) -> IndexTrees {
        guard index.format <= IndexSet.currentFormat else {
            throw .unsupportedIndexFormat(found: index.format, supported: IndexSet.currentFormat)
        }
        if index.format < IndexSet.currentFormat { return try rebuildIndexes() }
        guard index.vectors == nil || index.validity == nil else { return index }
        var upgraded = index
        let (vectors, validity) = try rebuildRecallIndexes()
        upgraded.vectors = vectors
        upgraded.validity = validity
        return upgraded
    }

    /// The out and in trees, for finding a node's edges by the (node) prefix and the trailing
    /// edge id, which every format so far lays out the same way (an older format is fine here).
    func adjacencyIndex() throws(GraphError) -> IndexTrees {
        guard index.format <= IndexSet.currentFormat else {
            throw .unsupportedIndexFormat(found: index.format, supported: IndexSet.currentFormat)
        }
        return index
    }
}
