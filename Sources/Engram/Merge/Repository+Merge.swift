import EngramIPLD
import EngramStorage

/// What a merge did.
public enum MergeOutcome: Sendable, Hashable {
    /// Their commit was already in our history: nothing changed.
    case upToDate(CID)
    /// Our branch moved forward to their commit.
    case fastForward(CID)
    /// A merge commit with parents (ours, theirs); `resolved` lists the conflicts the policy
    /// settled (empty for a clean merge).
    case merged(CID, resolved: [MergeConflict])

    /// The commit the branch is at afterwards.
    public var commit: CID {
        switch self {
        case .upToDate(let c), .fastForward(let c), .merged(let c, _): c
        }
    }
}

extension Repository {
    /// Merges commit `theirs` into `branch` (nil: what `HEAD` names) on their lowest common
    /// ancestor. Fast-forwards when the branch is an ancestor of `theirs`; otherwise commits a
    /// merge with parents (branch head, theirs). With ``MergePolicy/fail`` any conflict throws
    /// ``GraphError/mergeConflict(_:)`` and nothing changes. `resolutions` settle conflicts
    /// one by one (per field, or per node or edge) before the policy sees them (the settled ones are listed in the outcome); one
    /// that names no conflict throws ``GraphError/invalidResolution(_:)``.
    public func merge(_ theirs: CID, into branch: String? = nil, policy: MergePolicy = .fail,
                      resolutions: MergeResolutions = MergeResolutions(), _ info: CommitInfo) throws(GraphError) -> MergeOutcome {
        let name: String? = if let branch { branch } else { try currentBranch() }
        let ref = name.map(Self.branchRef) ?? "HEAD"
        let ours = try self.ref(ref)?.cid
        let update: (CID) throws(GraphError) -> Bool = { (cid) throws(GraphError) in
            let expected: RefUpdate.Expectation = ours.map { .value(.cid($0)) } ?? .absent
            return try self.updateRefs(blocks: [], updates: [RefUpdate(name: ref, expected: expected, new: .cid(cid))],
                                        message: "merge \(theirs)")
        }
        guard let ours else {
            try Self.checkAllUsed(resolutions, settled: [])
            guard try update(theirs) else { throw .commitConflict([]) }
            return .fastForward(theirs)
        }
        let ourAncestors = try ancestors(of: ours)
        if ourAncestors.contains(theirs) {
            try Self.checkAllUsed(resolutions, settled: [])
            return .upToDate(ours)
        }
        if try ancestors(of: theirs).contains(ours) {
            try Self.checkAllUsed(resolutions, settled: [])
            guard try update(theirs) else { throw .commitConflict([]) }
            return .fastForward(theirs)
        }
        let baseCID = try mergeBase(ours, theirs)
        let ourState = try snapshot(ours)
        let result = try MergeEngine(base: try snapshot(baseCID), ours: ourState, theirs: try snapshot(theirs),
                                     resolutions: resolutions).resolve(policy)
        try Self.checkAllUsed(resolutions, settled: result.settled)
        if policy == .fail, !result.conflicts.isEmpty { throw .mergeConflict(result.conflicts) }
        let cid = try withWriteSession(over: ourState) { (session, ourState) throws(GraphError) in
            let written = try GraphWriter(base: ourState).apply(result.changes)
            let (cid, block) = try commitBlock(parents: [ours, theirs], written, info, time: info.time ?? currentMicroseconds(),
                                               into: session)
            guard try updateRefs(blocks: session.pendingBlocks + [block],
                                  updates: [RefUpdate(name: ref, expected: .value(.cid(ours)), new: .cid(cid))],
                                  message: "merge \(theirs)") else { throw .commitConflict([]) }
            return cid
        }
        return .merged(cid, resolved: result.settled + result.conflicts)
    }

    /// Every settlement must name a conflict of the merge: a field settlement its field, an
    /// entity settlement a conflict of that node or edge (or an edge's endpoint at that node).
    static func checkAllUsed(_ resolutions: MergeResolutions, settled: [MergeConflict]) throws(GraphError) {
        let used = Set(settled.compactMap { c -> MergeResolutions.Key? in
            if case .field(let f, _, _, _) = c.kind { MergeResolutions.Key(entity: c.entity, field: f) } else { nil }
        })
        for (entity, field) in resolutions.fields where !used.contains(MergeResolutions.Key(entity: entity, field: field)) {
            throw .invalidResolution("\(entity) \(field): no such conflict in this merge")
        }
        let touched = Set(settled.flatMap { c -> [EntityRef] in
            if case .endpointRemoved(let node, _) = c.kind { [c.entity, .node(node)] } else { [c.entity] }
        })
        for entity in resolutions.entities where !touched.contains(entity) {
            throw .invalidResolution("\(entity): no such conflict in this merge")
        }
    }

    /// The conflicts merging `theirs` into `ours` would meet, without changing anything.
    public func mergeConflicts(_ ours: CID, _ theirs: CID) throws(GraphError) -> [MergeConflict] {
        let base = try mergeBase(ours, theirs)
        return try MergeEngine(base: try snapshot(base), ours: try snapshot(ours), theirs: try snapshot(theirs)).resolve(.fail).conflicts
    }
}
