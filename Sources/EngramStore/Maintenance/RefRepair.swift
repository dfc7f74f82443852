import EngramIPLD

/// The ref half of a repair (SPEC.md 4.9): every ref whose closure is incomplete is moved to
/// the newest commit whose closure is complete, or deleted when it has none, each change an
/// ordinary ref update whose reflog message says why.
struct RefRepair {
    let store: FileBlockStore
    let firstParent: (CID, [UInt8]) -> CID?
    private var audit: ClosureAudit

    init(store: FileBlockStore, firstParent: @escaping (CID, [UInt8]) -> CID?) {
        self.store = store
        self.firstParent = firstParent
        self.audit = ClosureAudit(store: store)
    }

    mutating func run(into report: inout RepairReport) throws {
        let (refs, reflog) = store.state.withLock { ($0.refs.refs, $0.refs.reflog) }
        var lost = Set<CID>(), missing = Set<CID>()
        let names = refs.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            guard case .cid(let target)? = refs[name], try !audit.isComplete(target) else { continue }
            let gone = try audit.missing(under: target)
            missing.formUnion(gone)
            var chosen: CID? = nil
            for candidate in try candidates(from: target, history: reflog.filter { $0.name == name }) {
                if try audit.isComplete(candidate) {
                    chosen = candidate
                    break
                }
                if lost.insert(candidate).inserted { report.commitsLost.append(candidate) }
            }
            let message = chosen.map { "fsck --repair: moved from \(target) to \($0) (closure incomplete: \(gone.count) blocks missing)" }
                ?? "fsck --repair: deleted, was \(target) (no commit with a complete closure: \(gone.count) blocks missing)"
            try store.commit(blocks: [], refUpdates: [RefUpdate(name: name, expected: .value(.cid(target)), new: chosen.map { .cid($0) })],
                             message: message)
            report.refsMoved.append(RepairReport.RefMove(name: name, from: target, to: chosen, missingBlocks: gone.count))
        }
        report.blocksMissing = missing.count
    }

    /// What a ref may move to, best first: the first-parent chain from its value (as far as
    /// the blocks are there), then every value of its reflog, newest first; each once.
    private func candidates(from target: CID, history: [ReflogEntry]) throws -> [CID] {
        var out: [CID] = [target]
        var seen: Set<CID> = [target]
        var current = target
        while let bytes = try? store.getVerified(current), let parent = firstParent(current, bytes), seen.insert(parent).inserted {
            out.append(parent)
            current = parent
        }
        for entry in history.reversed() {
            for case .cid(let c)? in [entry.new, entry.old] where seen.insert(c).inserted { out.append(c) }
        }
        return out
    }
}
