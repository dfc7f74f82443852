import Engram
import EngramIPLD
import EngramStorage

extension Repository {
    /// The name of the remote-tracking ref of `branch` (a `refs/heads/` name or a bare name)
    /// of `remote`: `refs/remotes/<remote>/<branch>`.
    public static func remoteRef(_ remote: String, _ branch: String) -> String {
        "refs/remotes/\(remote)/" + (branch.hasPrefix("refs/heads/") ? String(branch.dropFirst(11)) : branch)
    }

    /// Fetches every branch of `endpoint` (or those named in `branches`) into the
    /// remote-tracking refs `refs/remotes/<remote>/<branch>`, receiving only the blocks this
    /// repository lacks, in two round trips. Received blocks are verified as they arrive and
    /// published with the refs in one commit; if the transfer is cut, what arrived is kept
    /// aside and the next fetch of the same branches asks only for the rest.
    public func fetch(from endpoint: any SyncEndpoint, remote: String = "origin", branches: [String]? = nil,
                      limits: SyncLimits = .default, progress: ProgressHandler? = nil) async throws(SyncError) -> FetchReport {
        var report = FetchReport()
        let advertised = try await endpoint.advertise()
        report.stats.roundTrips += 1
        report.remoteHead = advertised.head
        let chosen = advertised.refs.filter { r in
            branches?.contains { $0 == r.name || Self.branchRef($0) == r.name } ?? true
        }
        if let branches, chosen.count < branches.count {
            let missing = branches.filter { b in !chosen.contains { $0.name == b || $0.name == Self.branchRef(b) } }
            throw .notFound("branch \(missing.joined(separator: ", ")) on \(remote)")
        }
        let wants = Array(Set(try missing(chosen.map(\.target)))).sorted { $0.description < $1.description }
        var updates: [RefUpdate] = []
        for r in chosen {
            let name = Self.remoteRef(remote, r.name)
            let old = try refValue(name)
            guard old?.cid != r.target else { continue }
            updates.append(RefUpdate(name: name, expected: old.map { .value($0) } ?? .absent, new: .cid(r.target)))
            report.updated.append(RefChange(ref: name, old: old?.cid?.description, new: r.target.description))
        }
        guard !wants.isEmpty || !updates.isEmpty else { return report }
        let quarantine = try Quarantine(path: try QuarantineFiles.path(for: store, name: QuarantineFiles.fetchName(wants: wants)),
                                        roots: wants, limits: limits)
        report.stats.blocksResumed = quarantine.count
        let receiver = try BlockReceiver(store: store, roots: wants, quarantine: quarantine, limits: limits)
        if !receiver.expected.isEmpty {
            let request = FetchRequest(wants: wants, haves: try haves(),
                                       frontier: quarantine.count > 0 ? Array(receiver.expected) : [])
            let stream = try await endpoint.fetch(request)
            report.stats.roundTrips += 1
            do {
                for try await block in stream {
                    try receiver.receive(block)
                    if let progress, receiver.received % 256 == 0 {
                        progress(TransferProgress(blocks: receiver.received, bytes: receiver.receivedBytes))
                    }
                }
            } catch {
                // Keep what arrived: the next fetch resumes from it.
                try? quarantine.spill()
                throw SyncError.wrapping(error)
            }
            do { try receiver.finish() } catch {
                try? quarantine.spill()
                throw error
            }
        }
        for w in wants { _ = try quarantine.commit(w, orFrom: store) }
        report.stats.blocksReceived = receiver.received
        report.stats.bytesReceived = receiver.receivedBytes
        report.stats.blocksAlreadyHad = receiver.alreadyHad
        report.stats.blocksDuplicated = receiver.duplicates
        guard try quarantine.publish(to: store, refs: refs, updates: updates, message: "fetch \(remote)") else {
            throw .refMoved(ref: updates.map(\.name).joined(separator: ", "), expected: nil, current: nil)
        }
        quarantine.discard()
        return report
    }

    /// The commits this repository offers as haves: every branch and remote-tracking head,
    /// and ancestors of each at distances 1, 2, 4, 8, ... along first parents, so a sender
    /// that does not know a head still finds a recent common commit (at most 16 per head).
    func haves() throws(SyncError) -> [CID] {
        var out: [CID] = []
        var seen = Set<CID>()
        let heads: [CID]
        do {
            heads = (try refs.list(prefix: "refs/heads/") + (try refs.list(prefix: "refs/remotes/"))).compactMap(\.value.cid)
        } catch { throw .repository(.store(error)) }
        for head in heads where seen.insert(head).inserted {
            out.append(head)
            var cid = head
            var step = 1
            var walked = 0
            for _ in 0..<15 {
                var reached = true
                for _ in 0..<step {
                    guard let parent = try? commit(cid).parents.first else { reached = false; break }
                    cid = parent
                    walked += 1
                }
                guard reached else { break }
                if seen.insert(cid).inserted { out.append(cid) }
                step *= 2
                if walked > 4096 { break }
            }
        }
        return out
    }

    func missing(_ cids: [CID]) throws(SyncError) -> [CID] {
        do { return try store.missing(cids) } catch { throw .repository(.wrapping(error)) }
    }

    func refValue(_ name: String) throws(SyncError) -> RefValue? {
        do { return try refs.get(name) } catch { throw .repository(.store(error)) }
    }
}
