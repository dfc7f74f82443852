import Engram
import EngramIPLD
import EngramStorage

/// The blocks a receiver lacks, in transfer order, pulled one at a time (SPEC.md 9.3).
///
/// The `TransferPlan` decides which blocks each new commit sends (parents first, so nothing
/// is skipped that no list sends); the blocks then go out newest commit first, each commit's
/// list in breadth-first order, so every block follows one that links to it and the receiver
/// checks each as it arrives. Nothing is sent twice.
///
/// With a frontier (a resumed transfer), only blocks at or below a frontier block are sent.
final class MissingBlocks {
    private let store: any BlockStore
    private let order: [[CID]]
    private var list = 0
    private var position = 0

    /// Counts for reports and tests.
    private(set) var blocksSent = 0
    private(set) var bytesSent = 0

    /// A sender for `request`; with `commitsOnly` false, wants that are not commits are sent
    /// with everything they reach (after the commits).
    init(store: any BlockStore, request: FetchRequest, commitsOnly: Bool = true) throws(SyncError) {
        self.store = store
        let walk = try CommitWalk(store: store, wants: request.wants, haves: request.haves, commitsOnly: commitsOnly)
        let plan = try TransferPlan(store: store, walk: walk, frontier: Set(request.frontier))
        self.order = walk.new.map { plan.lists[$0] ?? [] } + plan.plainLists
    }

    /// The next block to send, or nil when the transfer is complete.
    func next() throws(SyncError) -> Block? {
        while list < order.count, position == order[list].count {
            list += 1
            position = 0
        }
        guard list < order.count else { return nil }
        let cid = order[list][position]
        position += 1
        let block = try read(cid)
        blocksSent += 1
        bytesSent += block.bytes.count
        return block
    }

    private func read(_ cid: CID) throws(SyncError) -> Block {
        let bytes: [UInt8]?
        do { bytes = try store.get(cid) } catch { throw .repository(.wrapping(error)) }
        guard let bytes else { throw .repository(.missingBlock(cid)) }
        // The sender's own store is trusted for its closure, not for its bytes: a damaged block
        // is refused here rather than sent on to fail at the receiver.
        do { return try Block(cid: cid, bytes: bytes) } catch { throw .repository(.corruptBlock(cid, reason: .cause(error))) }
    }
}
