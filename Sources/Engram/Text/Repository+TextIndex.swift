import EngramIPLD

extension Repository {
    /// Full-text search of the graph at `revision` (nil: `HEAD`; an unborn branch has no hits).
    public func searchText(_ query: TextQuery, at revision: String? = nil) throws(GraphError) -> [TextHit] {
        let commit: CID?
        if let revision { commit = try resolve(revision) } else { commit = try head() }
        return try snapshot(commit).searchText(query)
    }

    /// Sets which properties the full-text index of `branch` (nil: `HEAD`) reads and whether
    /// it folds diacritics, by a commit that changes nothing else (the postings are derived at
    /// the next search). With `config` nil the branch's current configuration is kept, or the
    /// default recorded for a branch written before full-text search. Returns the branch's
    /// head, which is unchanged when there is nothing to do.
    ///
    /// Throws ``GraphError/tooManyRetries(_:)`` when another writer moves the branch meanwhile
    /// (the new configuration would otherwise be merged away): call again.
    @discardableResult
    public func configureTextIndex(_ config: TextIndexConfig? = nil, on branch: String? = nil,
                                   _ info: CommitInfo) throws(GraphError) -> CID? {
        let tx = try transaction(on: branch)
        let current = tx.base.index.text
        let wanted = config ?? current ?? .default
        if current == wanted, tx.base.index.format == IndexSet.currentFormat { return tx.base.commitCID }
        return try withWriteSession(over: tx.base) { (session, base) throws(GraphError) in
            var index = try base.writableIndex()
            index.text = wanted
            let written = WrittenState(nodes: base.nodes, edges: base.edges, index: index)
            return try publish(written, over: base, branch: tx.branch, info, session: session, maxAttempts: 1)
        }
    }

    /// The full-text postings of the graph at `revision` (nil: `HEAD`), derived now if this
    /// repository has not derived them yet (SPEC.md 7.11). A search does this itself; call it
    /// after a commit to take the cost before the first search instead of during it.
    @discardableResult
    public func textIndex(at revision: String? = nil) throws(GraphError) -> TextIndex {
        let commit: CID?
        if let revision { commit = try resolve(revision) } else { commit = try head() }
        return try snapshot(commit).searchableTextIndex()
    }
}
