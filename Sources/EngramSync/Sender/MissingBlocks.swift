import Engram
import EngramIPLD
import EngramStorage

/// The blocks a receiver lacks, in transfer order, pulled one at a time (SPEC.md 9.3).
///
/// Commit by commit (``CommitWalk``), each new commit's trees are compared level by level with
/// its parents' trees: a block found among the parents' blocks at the same or a higher level
/// is one the receiver holds (or is sent with that parent) and is skipped, subtree and all, so
/// a change of 100 nodes in a large graph sends about the paths to those 100 nodes. Nothing
/// is read twice and nothing is sent twice.
///
/// With a frontier (a resumed transfer), the same walk runs and only blocks at or below a
/// frontier block are sent.
final class MissingBlocks {
    private let store: any BlockStore
    private var walk: CommitWalk
    private let frontier: Set<CID>
    private var nextCommit = 0
    private var nextPlain = 0
    /// Every block walked (sent, or below the frontier's reach and so already received).
    private var visited = Set<CID>()
    private var outbox: [Block] = []
    private var outboxHead = 0
    private var level: Level?

    /// One commit's tree comparison in progress.
    private struct Level {
        /// The next new blocks to visit, each with whether it lies at or below the frontier.
        var new: [(cid: CID, inside: Bool)]
        /// Blocks the parents' trees reach, so far.
        var oldSeen: Set<CID>
        /// The parents' blocks at the current depth, each with the block that links to it.
        var old: [(cid: CID, parent: CID?)]
        /// Blocks the new trees skipped because the parents' trees hold them.
        var shared = Set<CID>()
    }

    /// Counts for reports and tests.
    private(set) var blocksSent = 0
    private(set) var bytesSent = 0

    /// A sender for `request`; with `commitsOnly` false, wants that are not commits are sent
    /// with everything they reach (after the commits).
    init(store: any BlockStore, request: FetchRequest, commitsOnly: Bool = true) throws(SyncError) {
        self.store = store
        self.walk = try CommitWalk(store: store, wants: request.wants, haves: request.haves, commitsOnly: commitsOnly)
        self.frontier = Set(request.frontier)
    }

    /// The next block to send, or nil when the transfer is complete.
    func next() throws(SyncError) -> Block? {
        while outboxHead == outbox.count {
            outbox.removeAll(keepingCapacity: true)
            outboxHead = 0
            if level != nil {
                try advanceLevel()
            } else if nextCommit < walk.new.count {
                try startCommit(walk.new[nextCommit])
                nextCommit += 1
            } else if nextPlain < walk.plain.count {
                let root = walk.plain[nextPlain]
                nextPlain += 1
                level = Level(new: [(root, true)], oldSeen: [], old: [])
                try advanceLevel()
            } else {
                return nil
            }
        }
        defer { outboxHead += 1 }
        let block = outbox[outboxHead]
        blocksSent += 1
        bytesSent += block.bytes.count
        return block
    }

    private func startCommit(_ cid: CID) throws(SyncError) {
        guard let commit = walk.commits[cid] else { throw .notFound("commit \(cid)") }
        let inside = frontier.isEmpty || frontier.contains(cid)
        if inside, visited.insert(cid).inserted { outbox.append(try read(cid)) }
        var old: [CID] = []
        for p in commit.parents {
            guard let parent = walk.commits[p] ?? (try? readCommit(p)) else { continue }
            old += [parent.nodes, parent.edges, parent.indexes]
        }
        let roots = [commit.nodes, commit.edges, commit.indexes]
        level = Level(new: roots.map { ($0, inside || frontier.contains($0)) }, oldSeen: Set(old),
                      old: old.map { ($0, nil) })
        try advanceLevel()
    }

    /// Sends the new blocks of the current depth and steps both sides one level down.
    private func advanceLevel() throws(SyncError) {
        guard var l = level else { return }
        defer { level = l.new.isEmpty ? nil : l }
        let newHere = Set(l.new.map(\.cid))
        var nextNew: [(cid: CID, inside: Bool)] = []
        var queued = Set<CID>()
        for (cid, inside) in l.new {
            if l.oldSeen.contains(cid) {
                l.shared.insert(cid)
                continue
            }
            if walk.known.contains(cid) || !visited.insert(cid).inserted { continue }
            let block = try read(cid)
            if inside { outbox.append(block) }
            for link in try links(block) where !walk.known.contains(link) && queued.insert(link).inserted {
                nextNew.append((link, inside || frontier.contains(link)))
            }
        }
        // The parents' side steps down too, but not into what both sides share: below a shared
        // block everything is shared (when the trees differ in height, the new side meets a
        // shared block a level later, so the old side's children of it are dropped then).
        var nextOld: [(cid: CID, parent: CID?)] = []
        for (cid, parent) in l.old where !newHere.contains(cid) && !l.shared.contains(cid) {
            if let parent, l.shared.contains(parent) { continue }
            guard let bytes = try? store.get(cid) else { continue }
            for link in (try? BlockLinks.of(cid, bytes: bytes)) ?? [] where l.oldSeen.insert(link).inserted {
                nextOld.append((link, cid))
            }
        }
        l.old = nextOld
        l.new = nextNew
    }

    private func read(_ cid: CID) throws(SyncError) -> Block {
        let bytes: [UInt8]?
        do { bytes = try store.get(cid) } catch { throw .repository(.wrapping(error)) }
        guard let bytes else { throw .repository(.missingBlock(cid)) }
        // The sender's own store is trusted for its closure, not for its bytes: a damaged block
        // is refused here rather than sent on to fail at the receiver.
        do { return try Block(cid: cid, bytes: bytes) } catch { throw .repository(.corruptBlock(cid, reason: "\(error)")) }
    }

    private func readCommit(_ cid: CID) throws(SyncError) -> Commit {
        do { return try Commit.decode(try read(cid).bytes, cid: cid) } catch { throw .notACommit(cid, reason: "\(error)") }
    }

    private func links(_ block: Block) throws(SyncError) -> [CID] {
        do { return try BlockLinks.of(block.cid, bytes: block.bytes) } catch {
            throw .repository(.corruptBlock(block.cid, reason: "\(error)"))
        }
    }
}
