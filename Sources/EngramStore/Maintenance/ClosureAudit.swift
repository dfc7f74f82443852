import EngramIPLD

/// Which blocks have a complete closure: the block and everything it links to, transitively,
/// stored and hash-valid. Answers are memoised, so checking every commit of a history costs one
/// walk of it, not one per commit.
///
/// A block that is absent, fails verification or whose links cannot be decoded is incomplete
/// (`fsck` would report it).
struct ClosureAudit {
    let store: FileBlockStore
    private var complete: [CID: Bool] = [:]

    init(store: FileBlockStore) { self.store = store }

    /// The block's bytes, or nil when it is absent or damaged.
    private func read(_ cid: CID) throws -> [UInt8]? {
        do { return try store.getVerified(cid) } catch StoreError.corruptBlock, StoreError.unsupportedHash { return nil }
    }

    /// Whether every block of `root`'s closure is stored and valid.
    mutating func isComplete(_ root: CID) throws -> Bool {
        // Post-order walk: a block is decided once all of its links are.
        var stack: [(cid: CID, links: [CID]?)] = [(root, nil)]
        var expanding = Set<CID>()
        while let (cid, links) = stack.popLast() {
            if complete[cid] != nil { continue }
            if let links {
                complete[cid] = links.allSatisfy { complete[$0] == true }
                continue
            }
            // Content addressing rules out cycles; bytes that fake one are not complete.
            guard expanding.insert(cid).inserted, let bytes = try read(cid), let links = try? BlockLinks.of(cid, bytes: bytes) else {
                complete[cid] = false
                continue
            }
            stack.append((cid, links))
            for link in links where complete[link] == nil { stack.append((link, nil)) }
        }
        return complete[root] ?? false
    }

    /// The blocks of `root`'s closure that are absent, damaged or undecodable.
    mutating func missing(under root: CID) throws -> Set<CID> {
        _ = try isComplete(root)
        var missing = Set<CID>()
        var seen: Set<CID> = [root]
        var queue = [root]
        while let cid = queue.popLast() {
            guard complete[cid] != true else { continue }
            guard let bytes = try read(cid), let links = try? BlockLinks.of(cid, bytes: bytes) else {
                missing.insert(cid)
                continue
            }
            for link in links where seen.insert(link).inserted { queue.append(link) }
        }
        return missing
    }
}
