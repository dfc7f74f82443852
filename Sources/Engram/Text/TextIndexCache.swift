import EngramIPLD
import EngramProlly
import EngramStorage
import Synchronization

/// The full-text postings a repository has derived (SPEC.md 7.11): the last few in memory and,
/// on a writable store, up to ``persistedLimit`` under the ref ``refName``, so that the next
/// process (or the next `engram recall`) starts from them.
///
/// Postings are derived data: a search asks for those of its state; they are found here, or
/// derived from the most recent ones of the same configuration by the nodes trees' difference,
/// or built from scratch when there are none. A failure to save them never fails the search.
final class TextIndexCache: Sendable {
    /// The ref naming the `text_index_cache` block of the saved postings.
    static let refName = "refs/indexes/text"
    /// How many postings blocks the saved list names, most recent first.
    static let persistedLimit = 8
    /// How many postings are kept in memory.
    static let memoryLimit = 4
    /// Bytes of derived tree nodes a read-only repository holds in memory before it starts over.
    static let overlayLimit = 256 << 20

    let refs: any RefBackend
    /// The repository's storage: its store, hash function and node cache.
    let storage: ProllyStorage
    /// Whether derived postings are saved (false for a read-only store).
    let writable: Bool
    private let recent = Mutex<[TextIndex]>([])
    /// Over a read-only store, where derived postings live: one overlay in memory, so that
    /// postings derived from postings derived earlier can read them.
    private let overlay = Mutex<WriteSession?>(nil)

    init(refs: any RefBackend, storage: ProllyStorage, writable: Bool) {
        self.refs = refs
        self.storage = storage
        self.writable = writable
    }

    /// The postings of `snapshot`'s nodes under its text configuration.
    func index(for snapshot: GraphSnapshot) throws(GraphError) -> TextIndex {
        let config = snapshot.index.text ?? .default
        let target = snapshot.nodes.root
        let inMemory = recent.withLock { $0 }
        if let hit = inMemory.first(where: { $0.derives(target, config) }) { return hit }
        let saved = savedIndexes()
        if let hit = saved.indexes.first(where: { $0.derives(target, config) }) {
            remember(hit)
            return hit
        }
        // Derived in a session: saved with the ref in one store commit, or kept in memory over a
        // read-only store.
        let session = writable ? WriteSession(over: storage.blocks, pinning: nil) : readOnlyOverlay()
        let working = ProllyStorage(blocks: session, hashFunction: storage.hashFunction, cache: storage.cache)
        let nodes = ProllyTree(root: target, storage: working)
        let base = (inMemory + saved.indexes).first { $0.config == config && $0.tokenizerVersion == TextTokenizer.version }
        var derived: TextIndex
        if let base, let caught = try? base.catchingUp(to: nodes) {
            derived = caught
        } else {
            derived = try snapshot.moved(to: working).rebuildTextIndex(config: config)
        }
        if writable, save(derived, session: session, replacing: saved) {
            derived = derived.moved(to: storage)
            session.end()
        }
        remember(derived)
        return derived
    }

    /// The overlay in memory of a read-only repository; a new one (and the postings in memory
    /// forgotten) once it holds ``overlayLimit`` bytes.
    private func readOnlyOverlay() -> WriteSession {
        overlay.withLock { current in
            if let current, current.stagedBytes < Self.overlayLimit { return current }
            recent.withLock { $0.removeAll() }
            let fresh = WriteSession(over: storage.blocks, pinning: nil, spilling: false)
            current = fresh
            return fresh
        }
    }

    /// Keeps `index` first among the postings in memory.
    private func remember(_ index: TextIndex) {
        recent.withLock { list in
            list.removeAll { $0.nodes == index.nodes && $0.config == index.config }
            list.insert(index, at: 0)
            if list.count > Self.memoryLimit { list.removeLast(list.count - Self.memoryLimit) }
        }
    }

    /// The saved postings, most recent first, and the ref's value they were read from. Saved
    /// postings that cannot be read are skipped: they are derived again.
    private func savedIndexes() -> (ref: RefValue?, indexes: [TextIndex]) {
        guard let value = try? refs.get(Self.refName) else { return (nil, []) }
        guard let cid = value.cid, let bytes = try? storage.blocks.fetchBlock(cid),
              let links = try? TextIndexCacheList.decode(bytes, cid: cid) else { return (value, []) }
        let indexes = links.compactMap { (c: CID) -> TextIndex? in
            guard let b = try? storage.blocks.fetchBlock(c) else { return nil }
            return try? TextIndex.decode(b, cid: c, storage: storage)
        }
        return (value, indexes)
    }

    /// Saves `index` (its new tree nodes staged in `session`) at the head of the list; false
    /// when the store refused or another process saved meanwhile.
    private func save(_ index: TextIndex, session: WriteSession, replacing saved: (ref: RefValue?, indexes: [TextIndex])) -> Bool {
        let block = index.block
        var links = [block.cid]
        for other in saved.indexes where !links.contains(other.block.cid) && links.count < Self.persistedLimit {
            links.append(other.block.cid)
        }
        let list = TextIndexCacheList.block(links, hashedWith: storage.hashFunction)
        let expected: RefUpdate.Expectation = saved.ref.map { .value($0) } ?? .absent
        let update = RefUpdate(name: Self.refName, expected: expected, new: .cid(list.cid))
        let published = try? refs.commit(blocks: session.pendingBlocks + [index.configBlock, block, list], updates: [update],
                                        message: "text index: derived for nodes \(index.nodes)")
        return published == true
    }
}

/// The `text_index_cache` block: `{_kind, entries: [link]}`, links to `text_postings` blocks,
/// most recent first (SPEC.md 7.11).
enum TextIndexCacheList {
    static let kind = "text_index_cache"

    static func block(_ links: [CID], hashedWith function: HashFunction) -> Block {
        var w = ObjectWriter(knownCount: 2, unknown: [], capacity: 64 + 40 * links.count)
        w.key("_kind")
        w.writer.writeString(kind)
        w.key("entries")
        w.writer.beginList(count: links.count)
        for l in links { w.writer.writeLink(l) }
        let bytes = w.finish()
        return Block(unchecked: CID(hashing: bytes, codec: .dagCBOR, function: function), bytes: bytes)
    }

    static func decode(_ bytes: [UInt8], cid: CID?) throws(GraphError) -> [CID] {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> [CID] in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var links: [CID]?, hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "entries":
                    let count = try r.readListHeader()
                    var out: [CID] = []
                    for _ in 0..<count { out.append(try r.readLink()) }
                    links = out
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("_kind", hasKind), ("entries", links != nil)], at: 0)
            return links ?? []
        }
    }
}
