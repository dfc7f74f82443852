import Engram
import EngramIPLD
import EngramStorage

/// The receiving side of a transfer (SPEC.md 9.3): accepts a block only when a root or an
/// accepted block links to it and the store lacks it, checks its size, and keeps it in a
/// `Quarantine` until every block the roots reach is either stored or received.
///
/// Blocks arrive already hash-verified (a `Block` is checked by construction).
final class BlockReceiver {
    let store: any BlockStore
    let quarantine: Quarantine
    let limits: SyncLimits
    /// Blocks linked from what was received (or named as roots) that neither side holds yet.
    private(set) var expected = Set<CID>()
    /// Links found already stored, so not transferred.
    private(set) var alreadyHad = 0
    /// Blocks accepted by this receiver (not counting those a resumed quarantine held).
    private(set) var received = 0
    private(set) var receivedBytes = 0
    /// Blocks sent that this side already held (dropped).
    private(set) var duplicates = 0

    /// A receiver for the closure of `roots` into `store`. Blocks `quarantine` already holds
    /// (a resumed transfer) count as received: their links are expected in turn.
    init(store: any BlockStore, roots: [CID], quarantine: Quarantine, limits: SyncLimits) throws(SyncError) {
        self.store = store
        self.quarantine = quarantine
        self.limits = limits
        try expect(roots.filter { !quarantine.contains($0) })
        for cid in quarantine.cids {
            guard let bytes = try quarantine.get(cid) else { continue }
            try expectLinks(of: Block(unchecked: cid, bytes: bytes))
        }
    }

    /// Takes one block, or throws (leaving the quarantine as it was) when it was not asked for
    /// or breaks a limit.
    func receive(_ block: Block) throws(SyncError) {
        guard expected.contains(block.cid) else {
            // A block this side already holds is dropped, not refused: the sender skips only what
            // the parents of each commit share, so a subtree also held through an older commit
            // can come again (it stores nothing new).
            if quarantine.contains(block.cid) || (try? store.has(block.cid)) == true {
                duplicates += 1
                return
            }
            throw .unrequestedBlock(block.cid)
        }
        // A truncated digest verifies only a prefix of the hash (an empty one, any bytes):
        // too weak for a block from a peer.
        if let function = HashFunction(code: block.cid.multihash.code), block.cid.multihash.digest.count < function.digestLength {
            throw .hashMismatch(block.cid)
        }
        guard block.bytes.count <= limits.maxBlockBytes else {
            throw .blockTooLarge(block.cid, size: block.bytes.count, limit: limits.maxBlockBytes)
        }
        guard quarantine.count < limits.maxBlocks, quarantine.bytes + block.bytes.count <= limits.maxTotalBytes else {
            throw .malformedMessage(what: "transfer", reason: "more than \(limits.maxBlocks) blocks or \(limits.maxTotalBytes) bytes")
        }
        try expectLinks(of: block)
        expected.remove(block.cid)
        try quarantine.add(block)
        received += 1
        receivedBytes += block.bytes.count
    }

    /// Throws ``SyncError/incomplete(missing:sample:)`` unless every block the roots reach
    /// is stored or received.
    func finish() throws(SyncError) {
        guard expected.isEmpty else {
            throw .incomplete(missing: expected.count, sample: Array(expected.prefix(3)))
        }
    }

    private func expectLinks(of block: Block) throws(SyncError) {
        let links: [CID]
        do { links = try BlockLinks.of(block.cid, bytes: block.bytes) } catch {
            throw .malformedMessage(what: "block \(block.cid)", reason: "its links cannot be read: \(error)")
        }
        try expect(links.filter { !quarantine.contains($0) && !expected.contains($0) })
    }

    private func expect(_ cids: [CID]) throws(SyncError) {
        guard !cids.isEmpty else { return }
        let missing: [CID]
        do { missing = try store.missing(cids) } catch { throw .repository(.wrapping(error)) }
        // A stored block's closure is stored (the store's invariant): nothing below it is needed.
        alreadyHad += Set(cids).count - Set(missing).count
        expected.formUnion(missing)
    }
}
