@testable import Engram
import EngramIPLD
import EngramStorage
import EngramStore
import EngramProlly
import EngramTestSupport
import Foundation
import Testing

/// The full-text index (SPEC.md 7.11): the configuration kept by commits, the postings derived
/// from the previous ones by the nodes trees' difference, equal to a build from scratch after
/// random commit sequences of non-ASCII, NFD and NUL-containing text, independent of the order
/// of commits, configurable, and derived for repositories that predate it.
struct TextIndexTests {
    static let info = CommitInfo(author: "t", message: "m", time: 1)

    /// Random text: words from a small vocabulary (so terms repeat across nodes), spelled in NFC
    /// or NFD, with NUL, CJK, emoji, apostrophes and digits between them.
    static func text(_ rng: inout RNG) -> String {
        let words = ["ada", "Lovelace", "caf\u{E9}", "cafe\u{301}", "R\u{E9}SUM\u{E9}", "stra\u{DF}e", "\u{4E2D}\u{6587}",
                     "don't", "O\u{2019}Brien", "42", "v2", "na\u{EF}ve", "nai\u{308}ve", "\u{1F600}", "\u{0}", "editor",
                     "vim", "emacs", "\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}", "setup", "\u{3072}\u{3089}", "x\u{0}y"]
        let separators = [" ", " ", ", ", "\u{0}", "\n", "-"]
        var s = ""
        for i in 0..<(rng.next() % 9) {
            if i > 0 { s += separators[Int(rng.next() % UInt64(separators.count))] }
            s += words[Int(rng.next() % UInt64(words.count))]
        }
        return s
    }

    static func props(_ rng: inout RNG) -> IPLDMap {
        var m = IPLDMap()
        if rng.next() % 4 != 0 { m["title"] = .string(text(&rng)) }
        if rng.next() % 2 == 0 { m["body"] = .string(text(&rng)) }
        if rng.next() % 3 == 0 { m["n"] = .int(Int64(rng.next() % 9)) }
        if rng.next() % 5 == 0 { m["tags"] = .list([.string(text(&rng))]) }  // lists are not indexed
        return m
    }

    /// One random transaction over the live node ids; returns them afterwards.
    static func randomTransaction(_ rng: inout RNG, _ tx: inout Transaction, live: [EntityID]) throws -> [EntityID] {
        var live = live
        for _ in 0..<(1 + rng.next() % 8) {
            let pick = live.isEmpty ? nil : live[Int(rng.next() % UInt64(live.count))]
            switch (rng.next() % 8, pick) {
            case (0, let id?):
                try tx.removeNode(id)
                live.removeAll { $0 == id }
            case (1, let id?):
                try tx.updateNode(id, label: ["Note", "Person", "Topic"][Int(rng.next() % 3)])
            case (2, let id?), (3, let id?):
                try tx.updateNode(id, props: .patch(["title": rng.next() % 5 == 0 ? nil : .string(text(&rng))]))
            case (4, let id?):
                try tx.updateNode(id, props: .replace(props(&rng)))
            case (5, let a?):
                if let b = live.last { tx.addEdge(from: a, "about", to: b) }
            default:
                live.append(tx.addNode(label: ["Note", "Person"][Int(rng.next() % 2)], props: props(&rng),
                                       id: EntityID(high: rng.next(), low: rng.next())))
            }
        }
        return live
    }

    /// The documents of a snapshot counted independently of the index: (documents, total length).
    static func modelStatistics(_ s: GraphSnapshot) throws -> (Int, Int) {
        var docs = 0, total = 0
        try s.forEachNode { node in
            var length = 0
            for (_, v) in node.props { if case .string(let t) = v { length += TextTokenizer().tokens(t).count } }
            if length > 0 { docs += 1 }
            total += length
        }
        return (docs, total)
    }

    /// A parentless commit of `state`'s trees on a new `branch`, its index set linking `text`
    /// (nil: none, as before full-text search), written by hand as another writer would.
    static func commitAlongside(_ repo: Repository, _ state: GraphSnapshot, text: TextIndexConfig?, branch: String) throws -> CID {
        var set = state.index.indexSet
        let textBlock = text?.block(hashedWith: .sha2_256)
        set.text = textBlock?.cid
        let setBlock = Block(bytes: set.encode())
        let commit = Commit(parents: [], nodes: state.nodes.root, edges: state.edges.root, indexes: setBlock.cid,
                            author: "other", time: 0, message: "written by hand")
        let commitBlock = Block(bytes: try commit.encode())
        try repo.store.put((textBlock.map { [$0] } ?? []) + [setBlock, commitBlock])
        try repo.createBranch(branch, at: commitBlock.cid)
        return commitBlock.cid
    }

    /// Postings derived after every `every` commits (so from one commit or from several) equal
    /// a build from scratch; every `every`th step also jumps to another branch and back, so the
    /// difference is not always a commit's own.
    @Test(arguments: [(1, 1), (2, 1), (3, 4)] as [(UInt64, Int)])
    func derivedPostingsEqualABuildFromScratch(seed: UInt64, every: Int) throws {
        var rng = RNG(seed: seed)
        let repo = try Repository(store: MemoryBlockStore())
        var live: [EntityID] = []
        for step in 0..<30 {
            var tx = try repo.transaction()
            live = try Self.randomTransaction(&rng, &tx, live: live)
            let head = try repo.commit(tx, Self.info)
            let s = try repo.snapshot(head)
            #expect(s.index.text == .default)
            #expect(try s.rebuildIndexes() == s.index, "seed \(seed) step \(step)")
            guard step % every == 0 else { continue }
            if step % 5 == 4, step > 0 {
                // Derive an unrelated state in between: an old commit's.
                _ = try repo.textIndex(at: "HEAD~\(1 + step / 2)")
            }
            let text = try repo.textIndex()
            #expect(text.nodes == s.nodes.root)
            let fresh = try s.rebuildTextIndex()
            #expect(text.encode() == fresh.encode(), "seed \(seed) step \(step)")
            let (docs, total) = try Self.modelStatistics(s)
            #expect(try text.docs.count() == UInt64(docs) && text.totalLength == UInt64(total), "seed \(seed) step \(step)")
        }
    }

    @Test(arguments: [4, 5] as [UInt64])
    func theSameGraphByDifferentCommitOrdersHasTheSameIndex(seed: UInt64) throws {
        var rng = RNG(seed: seed)
        let final = (0..<60).map { _ in
            Node(id: EntityID(high: rng.next(), low: rng.next()), label: "Note", props: Self.props(&rng))
        }
        // All at once.
        let one = try Repository(store: MemoryBlockStore())
        var tx = try one.transaction()
        for n in final { tx.putNode(n) }
        let a = try one.snapshot(try one.commit(tx, Self.info))
        // In shuffled batches, each node first written with other text, extra nodes added and removed.
        let two = try Repository(store: MemoryBlockStore())
        var order = final
        for i in order.indices.reversed() { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var extras: [EntityID] = []
        for batch in stride(from: 0, to: order.count, by: 7) {
            tx = try two.transaction()
            for n in order[batch..<min(batch + 7, order.count)] {
                tx.putNode(Node(id: n.id, label: "Person", props: Self.props(&rng)))
            }
            extras.append(tx.addNode(label: "Note", props: Self.props(&rng), id: EntityID(high: rng.next(), low: rng.next())))
            _ = try two.commit(tx, Self.info)
        }
        tx = try two.transaction()
        for n in order.reversed() { tx.putNode(n) }
        for e in extras { try tx.removeNode(e) }
        let b = try two.snapshot(try two.commit(tx, Self.info))
        #expect(a.nodes.root == b.nodes.root)
        #expect(a.index.indexSet.text != nil && a.index.indexSet.text == b.index.indexSet.text)
        // The postings, derived through every intermediate state on `two`, are the same block.
        #expect(try one.textIndex().block.cid == (try two.textIndex()).block.cid)
    }

    @Test func searchAtAnOldCommitEqualsSearchOnAFreshRepositoryWithThatGraph() throws {
        var rng = RNG(seed: 6)
        let repo = try Repository(store: MemoryBlockStore())
        var live: [EntityID] = []
        var commits: [CID] = []
        for _ in 0..<20 {
            var tx = try repo.transaction()
            live = try Self.randomTransaction(&rng, &tx, live: live)
            commits.append(try repo.commit(tx, Self.info))
        }
        let queries = ["ada", "caf\u{E9} editor", "cafe\u{301}", "\"ada lovelace\"", "em*", "\u{4E2D}", "dont vim 42", "stra*",
                       "\"na\u{EF}ve setup\" v2", "\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}"]
        for cid in commits.enumerated().filter({ $0.offset % 4 == 1 }).map(\.element) {
            let old = try repo.snapshot(cid)
            let fresh = try Repository(store: MemoryBlockStore())
            var tx = try fresh.transaction()
            try old.forEachNode { tx.putNode($0) }
            let copy = try fresh.snapshot(try fresh.commit(tx, Self.info))
            for q in queries {
                let query = TextQuery(q, limit: 50, filter: .everything)
                let atOld = try repo.searchText(query, at: cid.description)
                #expect(atOld == (try copy.searchText(query)), "\(q) at \(cid)")
                #expect(atOld == (try old.searchText(query)))
            }
        }
    }

    @Test func configurationSelectsPropertiesAndFoldingAndIsKeptByLaterCommits() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "Note", props: ["title": "Cr\u{E8}me br\u{FB}l\u{E9}e", "body": "dessert recipe"])
        let c1 = try repo.commit(tx, Self.info)
        #expect(try repo.searchText(TextQuery("recipe")).map(\.id) == [a])
        #expect(try repo.searchText(TextQuery("creme")).isEmpty)

        let config = TextIndexConfig(properties: ["title", "title"], foldsDiacritics: true)
        #expect(config.properties == ["title"])
        let c2 = try #require(try repo.configureTextIndex(config, Self.info))
        #expect(c2 != c1)
        #expect(try repo.configureTextIndex(config, Self.info) == c2)  // nothing to do
        let s2 = try repo.snapshot(c2)
        #expect(s2.nodes.root == (try repo.snapshot(c1)).nodes.root && s2.index.text == config)
        #expect(try repo.searchText(TextQuery("recipe")).isEmpty)
        #expect(try repo.searchText(TextQuery("CREME")).map(\.id) == [a])
        #expect(try repo.searchText(TextQuery("cr\u{E8}me"), at: c1.description).map(\.id) == [a])

        tx = try repo.transaction()
        let b = tx.addNode(label: "Note", props: ["title": "Cr\u{E8}me caramel", "body": "creme"])
        let c3 = try repo.commit(tx, Self.info)
        let s3 = try repo.snapshot(c3)
        #expect(s3.index.text == config)
        #expect(try repo.textIndex().encode() == (try s3.rebuildTextIndex()).encode())
        #expect(try repo.textIndex().config == config && (try repo.textIndex(at: c1.description)).config == .default)
        #expect(Set(try repo.searchText(TextQuery("creme")).map(\.id)) == [a, b])
    }

    @Test func aCommitWithoutATextConfigurationIsSearchedWithTheDefaultAndUpgradedByTheNextCommit() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "Note", props: ["title": "legacy memory"])
        let current = try repo.snapshot(try repo.commit(tx, Self.info))
        // The same state as an older version wrote it: an index set without `text`.
        let old = try Self.commitAlongside(repo, current, text: nil, branch: "legacy")
        let legacy = try repo.snapshot(old)
        #expect(legacy.index.text == nil)
        #expect(try legacy.searchText(TextQuery("memory")).map(\.id) == [a])

        tx = try repo.transaction(on: "legacy")
        let b = tx.addNode(label: "Note", props: ["title": "new memory"])
        let upgraded = try repo.snapshot(try repo.commit(tx, Self.info))
        #expect(upgraded.index.text == .default)
        #expect(Set(try upgraded.searchText(TextQuery("memory")).map(\.id)) == [a, b])

        // configureTextIndex(nil) upgrades too, without other changes.
        try repo.createBranch("legacy2", at: old)
        let c = try #require(try repo.configureTextIndex(on: "legacy2", Self.info))
        let configured = try repo.snapshot(c)
        #expect(c != old && configured.index.text == .default && configured.nodes.root == legacy.nodes.root)
    }

    @Test func aStreamIntoAnEmptyGraphBuildsTheIndexATransactionWould() throws {
        var rng = RNG(seed: 8)
        var ops: [ChangeOp] = []
        var ids: [EntityID] = []
        for _ in 0..<300 {
            switch rng.next() % 6 {
            case 0 where !ids.isEmpty: ops.append(.deleteNode(ids[Int(rng.next() % UInt64(ids.count))]))
            case 1 where !ids.isEmpty:
                ops.append(.putNode(Node(id: ids[Int(rng.next() % UInt64(ids.count))], label: "Note", props: Self.props(&rng))))
            default:
                let id = EntityID(high: rng.next(), low: rng.next())
                ids.append(id)
                ops.append(.putNode(Node(id: id, label: "Note", props: Self.props(&rng))))
            }
        }
        let streamed = try Repository(store: MemoryBlockStore())
        var i = 0
        let a = try streamed.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in
            defer { i += 1 }
            return i < ops.count ? ops[i] : nil
        }
        let transacted = try Repository(store: MemoryBlockStore())
        var tx = try transacted.transaction()
        for op in ops {
            switch op {
            case .putNode(let n): tx.putNode(n)
            case .deleteNode(let n): if try tx.node(n) != nil { try tx.removeNode(n) }
            default: break
            }
        }
        let b = try transacted.commit(tx, Self.info)
        #expect(a == b)
        let s = try streamed.snapshot(a)
        #expect(s.index.text == .default)
        let text = try streamed.textIndex()
        #expect(text.encode() == (try s.rebuildTextIndex()).encode())
        #expect(try text.docs.count() > 50)
    }

    /// Saved postings that are damaged (a total near 2^63 that the next difference would
    /// overflow) or unreadable are derived again: the search answers as a fresh build would.
    @Test func damagedSavedPostingsAreDerivedAgain() throws {
        let store = MemoryBlockStore()
        let repo = try Repository(store: store)
        var tx = try repo.transaction()
        let a = tx.addNode(label: "Note", props: ["title": "one two"])
        _ = try repo.commit(tx, Self.info)
        var damaged = try repo.textIndex()
        damaged.totalLength = UInt64(Int64.max)
        let list = TextIndexCacheList.block([damaged.block.cid], hashedWith: .sha2_256)
        try store.put([damaged.block, list])
        #expect(try repo.refs.commit(blocks: [], updates: [RefUpdate(name: TextIndexCache.refName, expected: .any, new: .cid(list.cid))],
                                     message: "damage"))
        tx = try repo.transaction()
        let b = tx.addNode(label: "Note", props: ["title": "three two"])
        _ = try repo.commit(tx, Self.info)
        // A new process: nothing in memory, the damaged postings saved.
        let again = try Repository(store: store, refs: repo.refs)
        let error = #expect(throws: GraphError.self) { try damaged.catchingUp(to: (try again.snapshot(again.head())).nodes) }
        guard case .invalidObject(let kind, _, _)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(kind == "text_postings")
        #expect(Set(try again.searchText(TextQuery("two")).map(\.id)) == [a, b])
        #expect(try again.textIndex().encode() == (try again.snapshot(again.head())).rebuildTextIndex().encode())
        // A ref naming a block that is not a list is skipped the same way.
        try store.put([Block(bytes: [0xa0])])
        #expect(try repo.refs.commit(blocks: [], updates: [RefUpdate(name: TextIndexCache.refName, expected: .any,
                                                                      new: .cid(Block(bytes: [0xa0]).cid))], message: "damage"))
        #expect(try Repository(store: store, refs: repo.refs).searchText(TextQuery("three")).map(\.id) == [b])
    }

    /// Postings are saved under `refs/indexes/text` (at most eight, most recent first) on a
    /// writable store, so a later process (or a read-only one) finds them; a read-only
    /// repository derives in memory and writes nothing.
    @Test func postingsAreSavedForTheNextProcessAndReadOnlyStoresDeriveInMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-text-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var ids: [EntityID] = []
        do {
            let repo = try Repository.create(at: dir)
            for i in 0..<10 {
                var tx = try repo.transaction()
                ids.append(tx.addNode(label: "Note", props: ["title": .string("note \(i) caf\u{E9} \u{0}x")]))
                _ = try repo.commit(tx, Self.info)
                #expect(try repo.searchText(TextQuery("cafe\u{301}", limit: 50)).count == i + 1)
            }
            let saved = try #require(try repo.refs.get(TextIndexCache.refName)?.cid)
            let links = try TextIndexCacheList.decode(try repo.store.fetch(saved), cid: saved)
            #expect(links.count == TextIndexCache.persistedLimit)
            let newest = try TextIndex.decode(try repo.store.fetch(links[0]), storage: repo.storage)
            #expect(newest.nodes == (try repo.snapshot(repo.head())).nodes.root)
            try repo.close()
        }
        // Another commit by a writer that never searches.
        do {
            let repo = try Repository.open(at: dir)
            var tx = try repo.transaction()
            ids.append(tx.addNode(label: "Note", props: ["title": "the last caf\u{E9}"]))
            _ = try repo.commit(tx, Self.info)
            try repo.close()
        }
        let reader = try Repository.open(at: dir, options: FileBlockStore.Options(readOnly: true))
        let before = try reader.refs.get(TextIndexCache.refName)
        #expect(Set(try reader.searchText(TextQuery("caf\u{E9}", limit: 50)).map(\.id)) == Set(ids))
        #expect(try reader.searchText(TextQuery("last")).map(\.id) == [ids[10]])
        #expect(try reader.refs.get(TextIndexCache.refName) == before)
        let overlay = ProllyStorage(blocks: WriteSession(over: reader.store, pinning: nil, spilling: false))
        #expect(try reader.textIndex().encode() == (try reader.snapshot(reader.head())).rebuildTextIndex(in: overlay).encode())
    }

    /// An index set written before full-text search (the golden c1 of SPEC 7.9 as it was) decodes
    /// without a text index and re-encodes to the same bytes.
    @Test func anOlderIndexSetReencodesByteForByte() throws {
        let old = unhex("a662696ed82a582500017112200bf64ec32152f2186c69fd71f7a164c3314381f29019890ec5a79e6a8f4b3220636f7574d82a58250001711220628426e9e54483bd1459c22d610ef6c001594d72cfa8972daadd5580305e0a7f655f6b696e6469696e6465785f7365746570726f7073d82a5825000171122008b49386bbbbf410eb9899483f1e7a10fbde021fda7f9ce71ed037553ad1dbad66666f726d617402666c6162656c73d82a582500017112201e46508b07a459bbe2ef35964ea2b0b8d05c1c7198823540054715a4586342ba")
        let set = try IndexSet.decode(old)
        #expect(set.text == nil && set.encode() == old)
        var linked = set
        linked.text = set.labels
        let bytes = linked.encode()
        #expect(try IndexSet.decode(bytes) == linked && bytes != old)
    }

    @Test func textIndexBlocksAreDecodedStrictly() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "Note", props: ["title": "x"])
        _ = try repo.commit(tx, Self.info)
        let config = TextIndexConfig(properties: ["b", "a"], foldsDiacritics: true)
        let bytes = config.encode()
        #expect(try TextIndexConfig.decode(bytes).config == config)
        // Names out of order are a second encoding of the same configuration: refused.
        let sortedHex = Hex.encode(bytes)
        #expect(sortedHex.contains("8261616162"))
        let swapped = unhex(sortedHex.replacingOccurrences(of: "8261616162", with: "8261626161"))
        #expect(throws: GraphError.self) { try TextIndexConfig.decode(swapped) }
        #expect(throws: GraphError.self) { try TextIndexConfig.decode(Array(bytes.dropLast())) }
        // Postings link their configuration block, which must be there.
        var text = try repo.textIndex()
        text.config = config
        let postings = text.encode()
        #expect(throws: GraphError.self) { try TextIndex.decode(postings, storage: repo.storage) }
        try repo.store.put(text.configBlock)
        #expect(try TextIndex.decode(postings, storage: repo.storage) == text)
        #expect(throws: GraphError.self) { try TextIndex.decode(Array(postings.dropLast()), storage: repo.storage) }
        #expect(throws: GraphError.self) { try TextIndex.decode(bytes, storage: repo.storage) }
    }

    /// A posting's value is read strictly: two minimal varints, frequency 1...length.
    @Test func postingValuesAreReadStrictly() throws {
        let tree = try Repository(store: MemoryBlockStore()).snapshot(nil).nodes
        #expect(try TextKeys.readPosting(TextKeys.posting(frequency: 3, length: 300), in: tree) == (3, 300))
        #expect(try TextKeys.readPosting(.bytes([0x01, 0xac, 0x02]), in: tree) == (1, 300))
        for bad: [UInt8] in [[], [0x01], [0x00, 0x01], [0x02, 0x01], [0x01, 0x81, 0x00], [0x01, 0x05, 0x00], [0x01, 0x80],
                             [0x01] + [UInt8](repeating: 0xff, count: 9) + [0x01]] {
            #expect(throws: GraphError.self, "\(bad)") { try TextKeys.readPosting(.bytes(bad), in: tree) }
        }
        #expect(throws: GraphError.self) { try TextKeys.readPosting(.null, in: tree) }
        #expect(throws: GraphError.self) { try TextKeys.readPosting(.link(tree.root), in: tree) }
    }

    /// Postings that fall off the saved list are garbage at the next collection, even inside
    /// the reflog's retention window (the ref names derived data); the current ones stay.
    @Test func postingsOffTheSavedListAreCollected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-text-gc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = try Repository.create(at: dir)
        var first: CID?
        var ids: [EntityID] = []
        for i in 0..<(TextIndexCache.persistedLimit + 2) {
            var tx = try repo.transaction()
            ids.append(tx.addNode(label: "Note", props: ["title": .string("m\u{E9}moire \(i) \u{0} \u{4E2D}")]))
            _ = try repo.commit(tx, Self.info)
            let postings = try repo.textIndex()
            if first == nil { first = postings.block.cid }
        }
        let oldest = try #require(first)
        #expect(try repo.store.has(oldest))
        let store = try #require(repo.store as? FileBlockStore)
        let report = try GarbageCollector(store: store).run()
        #expect(report.freedBlocks > 0)
        #expect(try !repo.store.has(oldest), "postings off the list are not kept by the reflog")
        let saved = try #require(try repo.refs.get(TextIndexCache.refName)?.cid)
        let newest = try #require(try TextIndexCacheList.decode(try repo.store.fetch(saved), cid: saved).first)
        #expect(try repo.store.has(newest))
        let reopened = try Repository(store: store)
        #expect(Set(try reopened.searchText(TextQuery("memoire", limit: 50, filter: .everything)).map(\.id)).isEmpty)
        #expect(Set(try reopened.searchText(TextQuery("m\u{E9}moire", limit: 50)).map(\.id)) == Set(ids))
        #expect(try reopened.searchText(TextQuery("\u{4E2D}", limit: 50)).count == ids.count)
    }

    /// Scoring by merging the postings lists by id and by adding them into a table (past
    /// ``TextSearch/mergeLimit`` terms) gives the same hits, scores to the bit and matched
    /// terms, over random graphs and queries with many prefix expansions and phrases.
    @Test func mergedAndTabledScoringAgree() throws {
        var rng = RNG(seed: 11)
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let stems = ["caf", "m\u{E9}m", "na\u{EF}", "\u{4E2D}\u{6587}x", "x\u{0}y", "ed"]
        for _ in 0..<200 {
            let words = (0..<(3 + rng.next() % 10)).map { _ in stems[Int(rng.next() % 6)] + String(rng.next() % 30) }
            tx.addNode(label: "Note", props: ["title": .string(words.joined(separator: " ")), "body": .string(Self.text(&rng))],
                       id: EntityID(high: rng.next(), low: rng.next()))
        }
        _ = try repo.commit(tx, Self.info)
        let s = try repo.snapshot(try repo.head())
        let index = try s.searchableTextIndex()
        for q in ["caf*", "caf* m\u{E9}m*", "ed1 ed2 \"caf3 caf4\" na\u{EF}*", "x*", "\"ada lovelace\" e*", "\u{4E2D}*", "caf1"] {
            let query = TextQuery(q, limit: 100, filter: .everything)
            let parsed = try ParsedTextQuery(query.text, tokenizer: index.config.tokenizer)
            var a = TextSearch(snapshot: s, index: index, query: query), b = a
            let merged = try a.run(parsed, mergeLimit: .max), tabled = try b.run(parsed, mergeLimit: 0)
            #expect(merged == tabled, "\(q)")
            #expect(!merged.isEmpty, "\(q)")
            #expect(merged == (try s.searchText(query)), "\(q)")
        }
    }
}
