import Engram
import EngramIPLD
import EngramStorage

extension Repository {
    /// Pushes `branches` (nil: the branch `HEAD` names) to `endpoint`, sending only the blocks
    /// the other side lacks, in two round trips. Each branch moves by compare-and-swap from the
    /// target just advertised; without `force` the new commit must descend from it.
    /// Afterwards `refs/remotes/<remote>/<branch>` records what the remote holds.
    public func push(to endpoint: any SyncEndpoint, remote: String = "origin", branches: [String]? = nil,
                     force: Bool = false, progress: ProgressHandler? = nil) async throws(SyncError) -> PushReport {
        var report = PushReport()
        let names: [String]
        if let branches { names = branches } else {
            guard let current = try graph({ () throws(GraphError) in try currentBranch() }) else {
                throw .notFound("HEAD is detached: name the branch to push")
            }
            names = [current]
        }
        let advertised = try await endpoint.advertise()
        report.stats.roundTrips += 1
        var updates: [PushRequest.Update] = []
        for name in names {
            let ref = name.hasPrefix("refs/heads/") ? name : Self.branchRef(name)
            guard let local = try refValue(ref)?.cid else { throw .notFound("branch \(name) (no commits to push)") }
            let theirs = advertised.target(of: ref)
            if theirs == local { continue }
            if let theirs, !force {
                let known = try missing([theirs]).isEmpty
                let descends = known ? try graph({ () throws(GraphError) in try ancestors(of: local).contains(theirs) }) : false
                guard descends else { throw .notFastForward(ref: ref, current: theirs, proposed: local) }
            }
            updates.append(.init(ref: ref, expected: theirs, new: local, force: force))
        }
        guard !updates.isEmpty else { return report }
        let targets = advertised.refs.map(\.target)
        let absent = Set(try missing(targets))
        let haves = targets.filter { !absent.contains($0) }
        let sender = try MissingBlocks(store: store, request: FetchRequest(wants: updates.map(\.new), haves: haves))
        let box = SenderBox(sender)
        let result = try await endpoint.push(PushRequest(updates: updates), blocks: RepositoryEndpoint.stream(box, progress: progress))
        report.stats.roundTrips += 1
        report.stats.blocksSent = box.blocksSent
        report.stats.bytesSent = box.bytesSent
        guard result.applied else {
            let moved = result.refs.first { r in updates.first { $0.ref == r.ref }?.expected != r.current }
            throw .refMoved(ref: moved?.ref ?? updates[0].ref, expected: updates.first { $0.ref == moved?.ref }?.expected,
                            current: moved?.current)
        }
        var tracking: [RefUpdate] = []
        for u in updates {
            report.updated.append(RefChange(ref: u.ref, old: u.expected?.description, new: u.new.description))
            tracking.append(RefUpdate(name: Self.remoteRef(remote, u.ref), expected: .any, new: .cid(u.new)))
        }
        do { _ = try refs.commit(blocks: [], updates: tracking, message: "push \(remote)") }
        catch { throw .repository(.store(error)) }
        return report
    }

    /// Runs a graph operation, its error as a ``SyncError``.
    func graph<T>(_ body: () throws(GraphError) -> T) throws(SyncError) -> T {
        do { return try body() } catch { throw .repository(error) }
    }
}
