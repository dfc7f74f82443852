import EngramIPLD

extension Repository {
    /// Undoes commit `cid` on `branch` (nil: what `HEAD` names) with a new commit: a three-way
    /// merge that takes the branch head from `cid`'s state back to its first parent's, so changes
    /// made after `cid` stay. History keeps `cid`. Where a later change touched what `cid`
    /// changed, it throws ``GraphError/commitConflict(_:)`` with those conflicts and changes
    /// nothing. A root commit reverts to the empty graph; a merge commit reverts to its first parent.
    public func revert(_ cid: CID, on branch: String? = nil, _ info: CommitInfo) throws(GraphError) -> CID {
        let reverted = try snapshot(cid)
        let parent = try snapshot(try commit(cid).parents.first)
        let tx = try transaction(on: branch)
        let result = try MergeEngine(base: reverted, ours: tx.base, theirs: parent).resolve(.fail)
        if !result.conflicts.isEmpty { throw .commitConflict(result.conflicts) }
        var revert = tx
        revert.stage(result.changes)
        return try commit(revert, info)
    }
}
