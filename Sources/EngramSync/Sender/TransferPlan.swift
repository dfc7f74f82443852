import Engram
import EngramIPLD
import EngramStorage

/// Which blocks each new commit of a transfer sends (SPEC.md 9.3), computed parents first so a
/// block is skipped only when the receiver holds it or an older commit's list already sends it
/// with its whole closure.
///
/// Each commit's trees are compared level by level with its parents' trees: a block found
/// among the parents' blocks is skipped, subtree and all (the parents hold it: the receiver
/// has it, or a parent's list sends it), as is a block an earlier list sends. So a change of
/// 100 nodes in a large graph sends about the paths to those 100 nodes.
struct TransferPlan {
    /// For each new commit, the blocks it sends, in breadth-first order from the commit block.
    private(set) var lists: [CID: [CID]] = [:]
    /// For each plain (non-commit) root, the blocks it sends.
    private(set) var plainLists: [[CID]] = []

    private let store: any BlockStore
    private let frontier: Set<CID>
    /// Every block some list sends (or would send, but for the frontier): its closure is sent
    /// by that list or by older ones.
    private var covered = Set<CID>()

    init(store: any BlockStore, walk: CommitWalk, frontier: Set<CID>) throws(SyncError) {
        self.store = store
        self.frontier = frontier
        for cid in Self.parentsFirst(walk) {
            guard let commit = walk.commits[cid] else { throw .notFound("commit \(cid)") }
            var old: [CID] = []
            for p in commit.parents {
                let parent: Commit
                if let known = walk.commits[p] { parent = known } else {
                    guard let bytes = try? store.get(p), let decoded = try? Commit.decode(bytes, cid: p) else { continue }
                    parent = decoded
                }
                old += [parent.nodes, parent.edges, parent.indexes]
            }
            let inside = frontier.isEmpty || frontier.contains(cid)
            covered.insert(cid)
            let trees = try walkTrees(roots: [commit.nodes, commit.edges, commit.indexes], old: old, inside: inside, known: walk.known)
            lists[cid] = (inside ? [cid] : []) + trees
        }
        for root in walk.plain {
            plainLists.append(try walkTrees(roots: [root], old: [], inside: true, known: walk.known))
        }
    }

    /// The new commits ordered so each comes after its new parents (iterative depth-first).
    static func parentsFirst(_ walk: CommitWalk) -> [CID] {
        let isNew = Set(walk.new)
        var out: [CID] = []
        var done = Set<CID>()
        for start in walk.new where !done.contains(start) {
            var stack: [(cid: CID, expanded: Bool)] = [(start, false)]
            while let (cid, expanded) = stack.popLast() {
                if expanded {
                    if done.insert(cid).inserted { out.append(cid) }
                    continue
                }
                guard !done.contains(cid) else { continue }
                stack.append((cid, true))
                for p in walk.commits[cid]?.parents ?? [] where isNew.contains(p) && !done.contains(p) {
                    stack.append((p, false))
                }
            }
        }
        return out
    }

    /// The blocks below `roots` to send, comparing level by level with the trees below `old`.
    private mutating func walkTrees(roots: [CID], old oldRoots: [CID], inside: Bool, known: Set<CID>) throws(SyncError) -> [CID] {
        var out: [CID] = []
        var new: [(cid: CID, inside: Bool)] = roots.map { ($0, inside || frontier.contains($0)) }
        var oldSeen = Set(oldRoots)
        var old: [(cid: CID, parent: CID?)] = oldRoots.map { ($0, nil) }
        var shared = Set<CID>()
        while !new.isEmpty {
            let newHere = Set(new.map(\.cid))
            var nextNew: [(cid: CID, inside: Bool)] = []
            var queued = Set<CID>()
            for (cid, isInside) in new {
                if oldSeen.contains(cid) {
                    shared.insert(cid)
                    continue
                }
                if known.contains(cid) || !covered.insert(cid).inserted { continue }
                if isInside { out.append(cid) }
                for link in try links(cid) where !known.contains(link) && queued.insert(link).inserted {
                    nextNew.append((link, isInside || frontier.contains(link)))
                }
            }
            // The parents' side steps down too, but not into what both sides share: below a
            // shared block everything is shared (when the trees differ in height, the new side
            // meets a shared block a level later, so the old side's children of it are dropped then).
            var nextOld: [(cid: CID, parent: CID?)] = []
            for (cid, parent) in old where !newHere.contains(cid) && !shared.contains(cid) {
                if let parent, shared.contains(parent) { continue }
                guard let bytes = try? store.get(cid) else { continue }
                for link in (try? BlockLinks.of(cid, bytes: bytes)) ?? [] where oldSeen.insert(link).inserted {
                    nextOld.append((link, cid))
                }
            }
            old = nextOld
            new = nextNew
        }
        return out
    }

    private func links(_ cid: CID) throws(SyncError) -> [CID] {
        let bytes: [UInt8]?
        do { bytes = try store.get(cid) } catch { throw .repository(.wrapping(error)) }
        guard let bytes else { throw .repository(.missingBlock(cid)) }
        do { return try BlockLinks.of(cid, bytes: bytes) } catch {
            throw .repository(.corruptBlock(cid, reason: .cause(error)))
        }
    }
}
