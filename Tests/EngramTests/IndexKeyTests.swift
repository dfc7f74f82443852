import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import Testing

/// Index keys through the repository (SPEC.md 6.6, 7.3): the effects of tuple key format 1 (text
/// ended by a bare `00`) that issue 9 found, through transactions, bulk load and every query.
struct IndexKeyTests {
    static func id(_ first: UInt8, _ n: UInt8) -> EntityID {
        EntityID(bytes: [first] + [UInt8](repeating: first, count: 14) + [n])!
    }

    /// Ids starting `ff` on the shorter texts and `00` on the longer ones: the order format 1 broke.
    static let a = id(0xff, 1), aNULb = id(0x00, 2), nfc = id(0x00, 3), nfd = id(0xff, 4)
    static let ab = id(0xff, 5), abNULc = id(0x00, 6), hub = id(0x7f, 7)
    static let r = id(0xff, 11), rNULs = id(0x00, 12)
    /// 46 x encode to 49 bytes (kept whole); the long one, 46 x then NUL then y, is cut.
    static let x46 = String(repeating: "x", count: 46), long = x46 + "\u{0}" + String(repeating: "y", count: 40)
    static let bytes1 = id(0xff, 8), bytes2 = id(0x00, 9)

    static var changes: [ChangeOp] {
        [
            .putNode(Node(id: a, label: "a")),
            .putNode(Node(id: aNULb, label: "a\u{0}b")),
            .putNode(Node(id: ab, label: "Person", props: ["name": "ab", "note": .string(x46)])),
            .putNode(Node(id: abNULc, label: "Person", props: ["name": "ab\u{0}c", "note": .string(long)])),
            .putNode(Node(id: hub, label: "Hub")),
            .putNode(Node(id: bytes1, label: "Person", props: ["note": .bytes([0, 0xff])])),
            .putNode(Node(id: bytes2, label: "Person", props: ["note": .bytes([0, 0xff, 1])])),
            .putEdge(Edge(id: r, src: hub, label: "r", dst: a)),
            .putEdge(Edge(id: rNULs, src: hub, label: "r\u{0}s", dst: aNULb)),
        ]
    }

    static let info = CommitInfo(author: "t", message: "m", time: 1)

    /// The same graph by one transaction and by a bulk load into an empty graph.
    static func repositories() throws -> [(String, Repository, CID)] {
        let tx = try Repository(store: MemoryBlockStore())
        var set = ChangeSet()
        for op in changes { set.apply(op) }
        let c1 = try tx.commit(set, Self.info)
        let bulk = try Repository(store: MemoryBlockStore())
        var ops = changes[...]
        let c2 = try bulk.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in ops.popFirst() }
        return [("transaction", tx, c1), ("bulk load", bulk, c2)]
    }

    @Test func bulkLoadAcceptsTextsThatExtendOthersBeforeIdsStartingFF() throws {
        let repos = try Self.repositories()
        // Bulk load gives the trees of the transaction (it failed with "key ... does not follow").
        #expect(repos[0].2 == repos[1].2)
        let s = try repos[1].1.snapshot(repos[1].2)
        #expect(s.index == (try s.rebuildIndexes()))
    }

    @Test func queriesMatchCompleteTextsOnly() throws {
        for (path, repo, head) in try Self.repositories() {
            let s = try repo.snapshot(head)
            var scan = try s.nodes(label: "a")
            #expect(try scan.collect() == [Self.a], "\(path)")
            #expect(try s.count(label: "a") == 1, "\(path)")
            scan = try s.nodes(label: "a\u{0}b")
            #expect(try scan.collect() == [Self.aNULb], "\(path)")
            #expect(try s.count(label: "a\u{0}") == 0, "\(path)")

            var eq = try s.nodes(label: "Person", where: "name", equals: "ab")
            #expect(try eq.collect() == [Self.ab], "\(path)")
            #expect(try s.count(label: "Person", where: "name", equals: "ab") == 1, "\(path)")
            eq = try s.nodes(label: "Person", where: "note", equals: .string(Self.x46))
            #expect(try eq.collect() == [Self.ab], "\(path)")
            #expect(try s.count(label: "Person", where: "note", equals: .string(Self.x46)) == 1, "\(path)")
            eq = try s.nodes(label: "Person", where: "note", equals: .string(Self.long))
            #expect(try eq.collect() == [Self.abNULc], "\(path)")
            #expect(try s.count(label: "Person", where: "note", equals: .bytes([0, 0xff])) == 1, "\(path)")

            var out = try s.neighbors(Self.hub, .out, label: "r")
            #expect(try out.collect() == [Neighbor(node: Self.a, edge: Self.r, label: "r")], "\(path)")
            #expect(try s.degree(Self.hub, .out, label: "r") == 1, "\(path)")
            #expect(try s.degree(Self.hub, .out) == 2, "\(path)")
            out = try s.neighbors(Self.hub, .out)
            #expect(try out.collect().map(\.label) == ["r", "r\u{0}s"], "\(path)")
            var inn = try s.neighbors(Self.aNULb, .in, label: "r\u{0}s")
            #expect(try inn.collect() == [Neighbor(node: Self.hub, edge: Self.rNULs, label: "r\u{0}s")], "\(path)")

            // Ranges: ["ab", "ab\0") holds "ab" only; "ab\0c" is above it.
            var range = try s.nodes(label: "Person", where: "name", from: "ab", to: "ab\u{0}")
            #expect(try range.collect() == [Self.ab], "\(path)")
            #expect(try s.count(label: "Person", where: "name", from: "ab\u{0}", to: nil) == 1, "\(path)")
        }
    }

    /// NFC and NFD spellings are different labels and values in the indexes (bytes, not `String ==`).
    @Test func normalFormsAreDifferentKeys() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.putNode(Node(id: Self.nfc, label: "caf\u{e9}", props: ["v": "\u{e9}"]))
        tx.putNode(Node(id: Self.nfd, label: "cafe\u{301}", props: ["v": "e\u{301}"]))
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        var scan = try s.nodes(label: "caf\u{e9}")
        #expect(try scan.collect() == [Self.nfc])
        scan = try s.nodes(label: "cafe\u{301}")
        #expect(try scan.collect() == [Self.nfd])
        #expect(try s.count(label: "cafe\u{301}", where: "v", equals: "e\u{301}") == 1)
        #expect(try s.count(label: "cafe\u{301}", where: "v", equals: "\u{e9}") == 0)
    }

    /// Every index key a commit writes decodes back to the entity it came from.
    @Test func indexKeysDecodeToTheirEntities() throws {
        for n in Self.changes {
            if case .putNode(let node) = n {
                #expect(try IndexKeys.decodeLabel(IndexKeys.label(node.label, node: node.id)) == (node.label, node.id))
                for key in IndexKeys.props(of: node) {
                    let (label, name, value, id) = try IndexKeys.decodeProp(key)
                    #expect(Array(label.utf8) == Array(node.label.utf8) && id == node.id)
                    let stored = try #require(node.props[name].flatMap(IndexKeys.keyValue))
                    if case .exact(let v) = value { #expect(v == stored) } else { #expect(try TupleKey.encoding(of: stored).isCut) }
                }
            } else if case .putEdge(let e) = n {
                let (label, other, edge) = try IndexKeys.decodeAdjacency(IndexKeys.out(e))
                #expect(Array(label.utf8) == Array(e.label.utf8) && other == e.dst && edge == e.id)
            }
        }
        #expect(throws: GraphError.self) { try IndexKeys.decodeAdjacency([0x61]) }
        #expect(throws: GraphError.self) { try IndexKeys.trailingID([1, 2, 3]) }
        // A labels key with a format 1 terminator is malformed, not misread.
        #expect(throws: GraphError.self) { try IndexKeys.decodeLabel([0x61, 0x00] + Self.a.bytes) }
    }
}

/// Index sets record their key format (SPEC.md 7.2): other formats are never queried as format 2.
struct IndexFormatTests {
    /// A commit like `head` whose index set claims `format`, on branch `name`.
    static func restamp(_ repo: Repository, _ head: CID, format: Int, branch name: String) throws -> CID {
        let commit = try repo.commit(head)
        var set = try IndexSet.decode(try repo.store.fetch(commit.indexes))
        set.format = format
        let setBytes = set.encode()
        let setCID = CID(hashing: setBytes)
        try repo.store.put(cid: setCID, bytes: setBytes)
        let restamped = Commit(parents: [], nodes: commit.nodes, edges: commit.edges, indexes: setCID,
                               author: commit.author, time: commit.time, message: commit.message)
        let bytes = try restamped.encode()
        let cid = CID(hashing: bytes)
        try repo.store.put(cid: cid, bytes: bytes)
        try repo.createBranch(name, at: cid)
        return cid
    }

    @Test func olderIndexesAreRefusedByQueriesAndRebuiltByTheNextCommit() throws {
        let (_, repo, head) = try IndexKeyTests.repositories()[0]
        let old = try Self.restamp(repo, head, format: 1, branch: "old")
        let s = try repo.snapshot(old)
        let refused = GraphError.unsupportedIndexFormat(found: 1, supported: 2)
        #expect(throws: refused) { try s.nodes(label: "a") }
        #expect(throws: refused) { try s.count(label: "a") }
        #expect(throws: refused) { try s.neighbors(IndexKeyTests.hub) }
        #expect(throws: refused) { try s.degree(IndexKeyTests.hub) }
        #expect(throws: refused) { try s.count(label: "Person", where: "name", equals: "ab") }
        // Nodes, edges and removals (which read only the id prefix of out and in) still work.
        #expect(try s.node(IndexKeyTests.a)?.label == "a")
        var tx = try repo.transaction(on: "old")
        try tx.removeNode(IndexKeyTests.hub)
        let next = try repo.snapshot(try repo.commit(tx, IndexKeyTests.info))
        #expect(next.index.format == IndexSet.currentFormat)
        #expect(next.index == (try next.rebuildIndexes()))
        var scan = try next.nodes(label: "a")
        #expect(try scan.collect() == [IndexKeyTests.a])
        #expect(try next.edgeCount() == 0)
    }

    @Test func newerIndexesAreRefusedForReadingAndWriting() throws {
        let (_, repo, head) = try IndexKeyTests.repositories()[0]
        let newer = try Self.restamp(repo, head, format: 3, branch: "newer")
        let refused = GraphError.unsupportedIndexFormat(found: 3, supported: 2)
        #expect(throws: refused) { try repo.snapshot(newer).nodes(label: "a") }
        var tx = try repo.transaction(on: "newer")
        tx.putNode(Node(id: IndexKeyTests.id(0x42, 1), label: "n"))
        #expect(throws: refused) { try repo.commit(tx, IndexKeyTests.info) }
        #expect(try repo.branchHead("newer") == newer)
    }

    @Test func theFormatFieldRoundTripsAndFormat1HasNone() throws {
        let (_, repo, head) = try IndexKeyTests.repositories()[0]
        let set = try IndexSet.decode(try repo.store.fetch(try repo.commit(head).indexes))
        #expect(set.format == 2)
        #expect(try IndexSet.decode(set.encode()) == set)
        var old = set
        old.format = 1
        #expect(try IndexSet.decode(old.encode()).format == 1)
        #expect(old.encode().count < set.encode().count)
        // An explicit format 1 is not canonical: format 1 is written without the field.
        var w = DAGCBORWriter()
        try w.write(.map(["in": .link(set.in), "out": .link(set.out), "_kind": "index_set", "props": .link(set.props),
                          "format": 1, "labels": .link(set.labels)]))
        #expect(throws: GraphError.self) { try IndexSet.decode(w.bytes) }
    }
}
