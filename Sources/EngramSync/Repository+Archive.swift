import Engram
import EngramCAR
import EngramIPLD
import EngramStorage

/// What a CAR import did.
public struct ImportReport: Hashable, Sendable {
    /// The archive's roots.
    public var roots: [CID]
    /// Blocks read from the archive.
    public var blocksRead = 0
    /// Of those, blocks the repository did not hold and now does.
    public var blocksAdded = 0
    /// The ref moved, if any.
    public var ref: RefChange?
}

extension Repository {
    /// Writes a CARv1 archive of `roots` (commits or any blocks) to `sink`: every block they
    /// reach, except what commits in `since` reach (an incremental archive a repository holding
    /// `since` can import), in transfer order (SPEC.md 9.3), streamed as it is read.
    /// Returns the number of blocks and bytes written.
    public func exportCAR(roots: [CID], since: [CID] = [], to sink: @escaping CARWriter.Sink) throws(SyncError) -> (blocks: Int, bytes: Int) {
        guard !roots.isEmpty else { throw .malformedMessage(what: "export", reason: "no roots") }
        do {
            var writer = try CARWriter(roots: roots, sink: sink)
            let sender = try MissingBlocks(store: store, request: FetchRequest(wants: roots, haves: since), commitsOnly: false)
            while let block = try sender.next() { try writer.write(block) }
            try writer.finish()
            return (writer.blockCount, writer.byteCount)
        } catch {
            throw .wrapping(error)
        }
    }

    /// Imports a CAR archive: every block is verified as it is read and kept in a quarantine;
    /// the import is refused, publishing nothing, unless the roots' closure is complete
    /// (from the archive and the repository) and every block of the archive is reachable from
    /// the roots. Blocks may come in any order. With `ref`, the ref is moved to the first root
    /// (which must be a commit) in the same store commit; without `force` only a fast-forward.
    public func importCAR<Source: CARByteSource>(_ reader: inout CARReader<Source>, ref: String? = nil, force: Bool = false,
                                                 limits: SyncLimits = .default) throws(SyncError) -> ImportReport {
        var report = ImportReport(roots: reader.roots)
        guard !reader.roots.isEmpty else { throw .malformedMessage(what: "archive", reason: "no roots") }
        let quarantine = try Quarantine(path: try QuarantineFiles.path(for: store, name: QuarantineFiles.pushName()),
                                        roots: reader.roots, limits: limits)
        defer { quarantine.discard() }
        do {
            while let block = try reader.next() {
                report.blocksRead += 1
                guard block.bytes.count <= limits.maxBlockBytes else {
                    throw SyncError.blockTooLarge(block.cid, size: block.bytes.count, limit: limits.maxBlockBytes)
                }
                guard report.blocksRead <= limits.maxBlocks else {
                    throw SyncError.malformedMessage(what: "archive", reason: "more than \(limits.maxBlocks) blocks")
                }
                if try !store.has(block.cid) { try quarantine.add(block) }
            }
        } catch {
            throw .wrapping(error)
        }
        // Walk the roots' closure over the quarantine and the store: a stored block's closure is
        // stored, so the walk stops there.
        var reached = Set<CID>()
        var queue = reader.roots
        var missing = Set<CID>()
        while let cid = queue.popLast() {
            guard !reached.contains(cid) else { continue }
            if let bytes = try quarantine.get(cid) {
                reached.insert(cid)
                do { queue += try BlockLinks.of(cid, bytes: bytes) } catch {
                    throw .malformedMessage(what: "block \(cid)", reason: "its links cannot be read: \(error)")
                }
            } else if try self.missing([cid]).isEmpty {
                reached.insert(cid)
            } else {
                missing.insert(cid)
            }
        }
        guard missing.isEmpty else { throw .incomplete(missing: missing.count, sample: Array(missing.prefix(3))) }
        if let stray = quarantine.cids.first(where: { !reached.contains($0) }) { throw .unrequestedBlock(stray) }
        var updates: [RefUpdate] = []
        if let ref {
            let root = reader.roots[0]
            _ = try quarantine.commit(root, orFrom: store)
            let old = try refValue(ref)
            if let current = old?.cid, current != root, !force, try !quarantine.isAncestor(current, of: root, store: store) {
                throw .notFastForward(ref: ref, current: current, proposed: root)
            }
            updates.append(RefUpdate(name: ref, expected: old.map { .value($0) } ?? .absent, new: .cid(root)))
            report.ref = RefChange(ref: ref, old: old?.cid?.description, new: root.description)
        }
        guard try quarantine.publish(to: store, refs: refs, updates: updates, message: "car import") else {
            throw .refMoved(ref: ref ?? "", expected: nil, current: nil)
        }
        report.blocksAdded = quarantine.count
        return report
    }
}
