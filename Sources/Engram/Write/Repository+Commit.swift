import EngramIPLD
import EngramStorage

extension Repository {
    /// A transaction over the head of `branch` (nil: what `HEAD` names; a detached `HEAD`
    /// gives a transaction that moves `HEAD` itself).
    public func transaction(on branch: String? = nil) throws(GraphError) -> Transaction {
        if let branch {
            try Self.validateBranchName(branch)
            return Transaction(base: try snapshot(try branchHead(branch)), branch: branch)
        }
        if let current = try currentBranch() {
            return Transaction(base: try snapshot(try branchHead(current)), branch: current)
        }
        return Transaction(base: try snapshot(try head()), branch: nil)
    }

    /// Commits a transaction and returns the new commit's CID.
    ///
    /// The branch moves by compare-and-swap from the transaction's base. When another writer
    /// moved it meanwhile, the transaction's changes are merged onto the new head (three-way,
    /// property by property) and the commit retried with that head as its parent; changes that
    /// collide throw ``GraphError/commitConflict(_:)`` and write nothing to the branch.
    /// A property value linking to a block that is not stored throws
    /// ``GraphError/missingLinkedBlock(entity:property:cid:)``.
    /// An empty transaction still makes a commit (with the same trees as its parent).
    public func commit(_ tx: Transaction, _ info: CommitInfo, maxAttempts: Int = 100) throws(GraphError) -> CID {
        var links = PropertyLinks(store: store)
        try links.check(tx.changes)
        return try withWriteSession(over: tx.base) { (session, base) throws(GraphError) in
            try publish(try GraphWriter(base: base).apply(tx.changes), over: base, branch: tx.branch, info,
                        session: session, maxAttempts: maxAttempts)
        }
    }

    /// Commits `written` (a state made from `base` in `session`) on `branch` by compare-and-swap,
    /// rebasing onto whatever another writer committed meanwhile (see ``commit(_:_:maxAttempts:)``).
    /// The session's blocks, the commit and the ref update are one store commit.
    func publish(_ written: WrittenState, over base: GraphSnapshot, branch: String?, _ info: CommitInfo,
                 session: WriteSession, maxAttempts: Int = 100) throws(GraphError) -> CID {
        let ref = branch.map(Self.branchRef) ?? "HEAD"
        let time = info.time ?? currentMicroseconds()
        var base = base
        var written = written
        for _ in 0..<maxAttempts {
            let parents = base.commitCID.map { [$0] } ?? []
            let (cid, block) = try commitBlock(parents: parents, written, info, time: time, into: session)
            let expected: RefUpdate.Expectation = base.commitCID.map { .value(.cid($0)) } ?? .absent
            if try updateRefs(blocks: session.pendingBlocks + [block], updates: [RefUpdate(name: ref, expected: expected, new: .cid(cid))],
                               message: "commit: \(info.message)") {
                return cid
            }
            guard let moved = try self.ref(ref)?.cid else { throw .branchNotFound(branch ?? "HEAD") }
            let current = try GraphSnapshot.load(moved, storage: written.nodes.storage)
            let merged = try MergeEngine(base: base, ours: current, theirs: written.snapshot).resolve(.fail)
            if !merged.conflicts.isEmpty { throw .commitConflict(merged.conflicts) }
            base = current
            written = try GraphWriter(base: current).apply(merged.changes)
        }
        throw .tooManyRetries(maxAttempts)
    }

    /// The commit object over `written` and its block; the index set block is staged in `session`.
    func commitBlock(parents: [CID], _ written: WrittenState, _ info: CommitInfo, time: Int64,
                     into session: WriteSession) throws(GraphError) -> (CID, Block) {
        let setBytes = written.index.indexSet.encode()
        let setCID = CID(hashing: setBytes, codec: .dagCBOR, function: storage.hashFunction)
        try session.putBlocks([Block(unchecked: setCID, bytes: setBytes)] + (written.index.textBlock.map { [$0] } ?? []))
        let commit = Commit(parents: parents, nodes: written.nodes.root, edges: written.edges.root, indexes: setCID,
                            author: info.author, time: time, message: info.message, agent: info.agent)
        let bytes = try commit.encode()
        let cid = CID(hashing: bytes, codec: .dagCBOR, function: storage.hashFunction)
        return (cid, Block(unchecked: cid, bytes: bytes))
    }

    /// Applies a change set to the head of `branch` (nil: `HEAD`) as one commit.
    public func commit(_ changes: ChangeSet, on branch: String? = nil, _ info: CommitInfo) throws(GraphError) -> CID {
        let tx = try transaction(on: branch)
        // The change set moves in whole (no entry-by-entry copy: a bulk load can be large).
        return try commit(Transaction(base: tx.base, branch: tx.branch, changes: changes), info)
    }
}
