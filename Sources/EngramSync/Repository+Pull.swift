import Engram
import EngramIPLD
import EngramStorage

/// What a pull did: the fetch, then the merge into the branch.
public struct PullReport: Hashable, Sendable {
    /// The fetch.
    public var fetch: FetchReport
    /// Nil when the remote has no such branch yet.
    public var merge: MergeOutcome?
}

extension Repository {
    /// Fetches `branch` (nil: the branch `HEAD` names) from `endpoint`, then merges the fetched
    /// commit into it: a fast-forward when possible, otherwise a merge commit settled by
    /// `policy` (with `MergePolicy.fail`, conflicts are thrown and the branch is unmoved).
    public func pull(from endpoint: any SyncEndpoint, remote: String = "origin", branch: String? = nil,
                     policy: MergePolicy = .fail, info: CommitInfo, progress: ProgressHandler? = nil) async throws(SyncError) -> PullReport {
        let name: String
        if let branch { name = branch } else {
            guard let current = try graph({ () throws(GraphError) in try currentBranch() }) else {
                throw .notFound("HEAD is detached: name the branch to pull")
            }
            name = current
        }
        let fetched = try await fetch(from: endpoint, remote: remote, branches: [name], progress: progress)
        guard let theirs = try refValue(Self.remoteRef(remote, name))?.cid else { return PullReport(fetch: fetched, merge: nil) }
        let outcome = try graph { () throws(GraphError) in try merge(theirs, into: name, policy: policy, info) }
        return PullReport(fetch: fetched, merge: outcome)
    }

    /// Fills this repository, which must have no commits, from `endpoint`: fetches every
    /// branch into `refs/remotes/<remote>/`, then creates and checks out the branch the
    /// remote's `HEAD` names (or its only branch).
    public func cloneContents(from endpoint: any SyncEndpoint, remote: String = "origin",
                              limits: SyncLimits = .default, progress: ProgressHandler? = nil) async throws(SyncError) -> FetchReport {
        let existing = try graph { () throws(GraphError) in try branches() }
        guard existing.isEmpty else { throw .repository(.branchExists(existing[0].name)) }
        let report = try await fetch(from: endpoint, remote: remote, limits: limits, progress: progress)
        let tracking: [(name: String, value: RefValue)]
        do { tracking = try refs.list(prefix: "refs/remotes/\(remote)/") } catch { throw .repository(.store(error)) }
        let headBranch = report.remoteHead.map { String($0.dropFirst("refs/heads/".count)) }
        let prefix = "refs/remotes/\(remote)/"
        let chosen = tracking.first { String($0.name.dropFirst(prefix.count)) == headBranch }
            ?? (tracking.count == 1 ? tracking.first : nil)
        guard let chosen, let target = chosen.value.cid else { return report }
        let branch = String(chosen.name.dropFirst(prefix.count))
        try graph { () throws(GraphError) in
            try createBranch(branch, at: target)
            try checkout(branch: branch)
        }
        return report
    }
}
