import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

private let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
/// Non-ASCII, NUL-containing and canonically equivalent labels (no label is another's
/// prefix up to a NUL, which the tuple encoding of this version does not order).
private let labels = ["\u{E9}t\u{E9}", "e\u{301}te\u{301}", "\u{C5}", "A\u{30A}", "\u{212B}", "nul\u{0}a", "nul\u{0}b", "\u{65E5}\u{672C}"]
private let names = [nfc, nfd, "K", "\u{212A}", "k\u{0}x", "\u{3A9}mega", "\u{2126}mega"]
private let texts = ["\u{E9}", "e\u{301}", "\u{0}", "x\u{0}y", "\u{65E5}\u{672C}\u{8A9E}"]

private func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

// Reference model

/// Every tree of `s` against the model: node and edge bytes, every index key, label queries.
private func check(_ s: GraphSnapshot, _ nodes: [EntityID: Node], _ edges: [EntityID: Edge], _ context: String) throws {
    #expect(try s.nodeCount() == UInt64(nodes.count), "\(context)")
    for n in nodes.values { #expect(try s.node(n.id)?.encode() == (try n.encode()), "\(context): node \(n.id)") }
    for e in edges.values { #expect(try s.edge(e.id)?.encode() == (try e.encode()), "\(context): edge \(e.id)") }
    #expect(try keys(s.index.labels) == Set(nodes.values.map { IndexKeys.label($0.label, node: $0.id) }), "\(context): labels")
    #expect(try keys(s.index.props) == Set(nodes.values.flatMap { IndexKeys.props(of: $0) }), "\(context): props")
    #expect(try keys(s.index.out) == Set(edges.values.map(IndexKeys.out)), "\(context): out")
    #expect(try keys(s.index.in) == Set(edges.values.map(IndexKeys.in)), "\(context): in")
    for label in labels {
        var scan = try s.nodes(label: label)
        let want = nodes.values.filter { same($0.label, label) }.map(\.id).sorted()
        #expect(try scan.collect() == want, "\(context): label \(Array(label.utf8))")
    }
}

/// Every key of a tree.
private func keys(_ tree: ProllyTree) throws -> Set<[UInt8]> {
    var out = Set<[UInt8]>()
    var it = try tree.entries()
    while let e = try it.next() { out.insert(e.key) }
    return out
}

private func pick<T>(_ rng: inout RNG, _ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

private func props(_ rng: inout RNG) -> IPLDMap {
    var m = IPLDMap()
    for name in names where rng.next() % 3 == 0 { m[name] = .string(pick(&rng, texts)) }
    return m
}

/// Labels, property names and text values are their UTF-8 bytes: spellings Swift's `String`
/// calls equal (NFC and NFD, singleton decompositions) are different labels, keys and values
/// through every write path: transaction, bulk load, merge, diff.
struct TextBytesTests {
    static let info = CommitInfo(author: "t", message: "text", time: 5)
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    /// The corpus holds pairs `String ==` folds (else these tests could not fail).
    @Test func corpusHoldsSpellingsSwiftCallsEqual() {
        #expect(nfc == nfd && !same(nfc, nfd))
        #expect(labels[2] == labels[3] && labels[3] == labels[4] && !same(labels[2], labels[4]))
        #expect(names[2] == names[3] && names[5] == names[6] && !same(names[5], names[6]))
        #expect(texts[0] == texts[1])
    }

    /// Objects differing only in the spelling of a label, name, unknown key or text value are
    /// different values and hash apart (as their encodings differ).
    @Test func objectsDifferingInSpellingAreDifferent() throws {
        let id = Self.id(1)
        let pairs: [(Node, Node)] = [
            (Node(id: id, label: nfc), Node(id: id, label: nfd)),
            (Node(id: id, label: "N", props: [nfc: 1]), Node(id: id, label: "N", props: [nfd: 1])),
            (Node(id: id, label: "N", props: ["v": .string(nfc)]), Node(id: id, label: "N", props: ["v": .string(nfd)])),
            (Node(id: id, label: "N", unknown: [UnknownField(key: nfc, value: [0xf6])]),
             Node(id: id, label: "N", unknown: [UnknownField(key: nfd, value: [0xf6])])),
        ]
        for (a, b) in pairs {
            #expect(try a.encode() != b.encode())
            #expect(a != b && Set([a, b]).count == 2)
            #expect(a == Node(id: a.id, label: a.label, props: a.props, unknown: a.unknown))
        }
        let e1 = Edge(id: id, src: id, label: "K", dst: id), e2 = Edge(id: id, src: id, label: "\u{212A}", dst: id)
        #expect(e1 != e2 && Set([e1, e2]).count == 2)
        let n1 = Neighbor(node: id, edge: id, label: "K"), n2 = Neighbor(node: id, edge: id, label: "\u{212A}")
        #expect(n1 != n2 && Set([n1, n2]).count == 2)
        let i1 = CommitInfo(author: nfc, message: "m"), i2 = CommitInfo(author: nfd, message: "m")
        #expect(i1 != i2 && Set([i1, i2]).count == 2)
        #expect(Set([Field.prop(nfc), .prop(nfd), .unknown(nfc), .unknown(nfd), .prop("props." + nfc), .unknown("props." + nfc)]).count == 6)
        #expect([Field.unknown("props." + nfc), .prop(nfc)].sorted() == [.prop(nfc), .unknown("props." + nfc)])
    }

    // MARK: Transactions and bulk load

    /// Random transactions respelling labels, names and values, checked after each commit;
    /// then the final graph committed at once and loaded into an empty graph gives the same trees.
    @Test func respellingsThroughTransactionsAndBulkLoadMatchTheModel() async {
        await propertyCheck(count: 8, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var nodes: [EntityID: Node] = [:], edges: [EntityID: Edge] = [:]
            var last: CID?
            for step in 0..<25 {
                var tx = try repo.transaction()
                for _ in 0..<(1 + rng.next() % 5) {
                    let id = Self.id(rng.next() % 8)
                    switch (rng.next() % 6, nodes[id]) {
                    case (0, _), (1, nil):
                        let n = Node(id: id, label: pick(&rng, labels), props: props(&rng))
                        tx.putNode(n)
                        nodes[id] = n
                    case (1, var n?):
                        n.label = pick(&rng, labels)
                        try tx.updateNode(id, label: n.label)
                        nodes[id] = n
                    case (2, var n?):
                        let name = pick(&rng, names), value: IPLD? = rng.next() % 3 == 0 ? nil : .string(pick(&rng, texts))
                        n.props[name] = value
                        try tx.updateNode(id, props: .patch(PropertyPatch([(name, value)])))
                        nodes[id] = n
                    case (3, _?):
                        try tx.removeNode(id)
                        nodes[id] = nil
                        edges = edges.filter { $0.value.src != id && $0.value.dst != id }
                    case (4, _?), (5, _?):
                        let dst = Self.id(rng.next() % 8)
                        guard nodes[dst] != nil else { continue }
                        let e = Edge(id: Self.id(100 + rng.next() % 8), src: id, label: pick(&rng, labels), dst: dst, props: props(&rng))
                        tx.putEdge(e)
                        edges[e.id] = e
                    default: continue
                    }
                }
                last = try repo.commit(tx, Self.info)
                try check(try repo.snapshot(last!), nodes, edges, "seed \(seed) step \(step)")
            }
            let many = try repo.snapshot(last!)
            let once = try Repository(store: MemoryBlockStore())
            var all = ChangeSet()
            for n in nodes.values { all.put(n) }
            for e in edges.values { all.put(e) }
            let single = try once.snapshot(try once.commit(all, Self.info))
            #expect(single.nodes.root == many.nodes.root && single.edges.root == many.edges.root && single.index == many.index)
            let bulk = try Repository(store: MemoryBlockStore())
            var ops = nodes.values.map(ChangeOp.putNode) + edges.values.map(ChangeOp.putEdge)
            ops.shuffle(using: &rng)
            var it = ops.makeIterator()
            let loaded = try bulk.snapshot(try bulk.commitStream(Self.info) { () throws(GraphError) in it.next() })
            try check(loaded, nodes, edges, "seed \(seed) bulk load")
            #expect(loaded.nodes.root == many.nodes.root && loaded.edges.root == many.edges.root && loaded.index == many.index)
        }
    }

    /// A label respelled NFC -> NFD is a change: the node is rewritten and its labels and props
    /// keys move (no stale NFC key stays behind).
    @Test func labelRespelledMovesItsIndexKeys() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let node = Node(id: Self.id(1), label: "\u{E9}t\u{E9}", props: [nfc: "v"])
        tx.putNode(node)
        let first = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(node.id, label: "e\u{301}te\u{301}")
        let second = try repo.commit(tx, Self.info)
        #expect(second != first)
        var respelled = node
        respelled.label = "e\u{301}te\u{301}"
        try check(try repo.snapshot(second), [node.id: respelled], [:], "respelled")
        #expect(try keys(repo.snapshot(second).index.labels) == [IndexKeys.label("e\u{301}te\u{301}", node: node.id)])
    }

    /// NFC and NFD names in one patch are two properties; removing one keeps the other.
    @Test func namesSpelledBothWaysAreTwoProperties() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "N", id: Self.id(1))
        try tx.updateNode(Self.id(1), props: .patch([nfc: 1, nfd: 2, "K": 3, "\u{212A}": 4]))
        let both = try repo.snapshot(try repo.commit(tx, Self.info))
        let want: IPLDMap = [nfc: 1, nfd: 2, "K": 3, "\u{212A}": 4]
        #expect(try both.node(Self.id(1))?.props == want)
        #expect(try both.node(Self.id(1))?.props.count == 4)
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), props: .patch([nfd: nil, "K": nil]))
        let one = try repo.snapshot(try repo.commit(tx, Self.info))
        let node = try #require(try one.node(Self.id(1)))
        #expect(node.props.keys.map { Array($0.utf8) } == [Array("\u{212A}".utf8), Array(nfc.utf8)])
        try check(one, [node.id: Node(id: node.id, label: "N", props: [nfc: 1, "\u{212A}": 4])], [:], "patched")
    }

    /// A change stream with NFC and NFD labels and names (as JSON lines) loads into an empty
    /// graph as one transaction of it does.
    @Test func bulkLoadInternsLabelsByBytes() throws {
        let lines = [
            #"{"op":"put-node","id":"01890000-0000-7000-8000-000000000001","label":"\#(nfc)","props":{"\#(nfc)":"\#(nfd)"}}"#,
            #"{"op":"put-node","id":"01890000-0000-7000-8000-000000000002","label":"\#(nfd)","props":{"\#(nfd)":"\#(nfc)","\#(nfc)":1}}"#,
            #"{"op":"put-edge","id":"01890000-0000-7000-8000-000000000003","src":"01890000-0000-7000-8000-000000000001","label":"\#(nfd)","dst":"01890000-0000-7000-8000-000000000002"}"#,
            #"{"op":"put-edge","id":"01890000-0000-7000-8000-000000000004","src":"01890000-0000-7000-8000-000000000001","label":"\#(nfc)","dst":"01890000-0000-7000-8000-000000000002"}"#,
        ]
        let ops = try lines.enumerated().map { (i, l) in try ChangeOp.parse(Array(l.utf8), line: i + 1) }
        guard case .putNode(let second) = ops[1] else { Issue.record("not a node"); return }
        #expect(second.props.count == 2 && same(second.label, nfd))
        var nodes: [EntityID: Node] = [:], edges: [EntityID: Edge] = [:]
        var tx = try Repository(store: MemoryBlockStore()).transaction()
        for op in ops {
            switch op {
            case .putNode(let n): nodes[n.id] = n; tx.putNode(n)
            case .putEdge(let e): edges[e.id] = e; tx.putEdge(e)
            default: break
            }
        }
        let bulk = try Repository(store: MemoryBlockStore())
        var it = ops.makeIterator()
        let loaded = try bulk.snapshot(try bulk.commitStream(Self.info) { () throws(GraphError) in it.next() })
        try check(loaded, nodes, edges, "bulk")
        #expect(try keys(loaded.index.labels).count == 2)
        let reference = try Repository(store: MemoryBlockStore())
        var all = ChangeSet()
        for n in nodes.values { all.put(n) }
        for e in edges.values { all.put(e) }
        let single = try reference.snapshot(try reference.commit(all, Self.info))
        #expect(loaded.index == single.index && loaded.nodes.root == single.nodes.root)
    }

    // MARK: Merge and diff

    /// One branch sets the NFC name, the other the NFD one: the merge keeps both, no conflict.
    @Test func mergeKeepsNamesSpelledBothWays() throws {
        let (repo, _, y) = try MergeTests.diverge({ try $0.updateNode(Self.id(2), props: .patch([nfc: 1])) },
                                                  { try $0.updateNode(Self.id(2), props: .patch([nfd: 2])) })
        let outcome = try repo.merge(y, into: "x", Self.info)
        guard case .merged(let merged, let resolved) = outcome else { Issue.record("\(outcome)"); return }
        #expect(resolved.isEmpty)
        let untouched = Node(id: Self.id(1), label: "N", props: ["a": 1, "b": 1])
        let both = Node(id: Self.id(2), label: "N", props: [nfc: 1, nfd: 2])
        try check(try repo.snapshot(merged), [untouched.id: untouched, both.id: both], [:], "merged")
    }

    /// Both branches respell a label, one NFC and one NFD: different values, so a conflict.
    @Test func mergeReportsLabelsRespelledDifferently() throws {
        let (repo, _, y) = try MergeTests.diverge({ try $0.updateNode(Self.id(2), label: nfc) },
                                                  { try $0.updateNode(Self.id(2), label: nfd) })
        #expect(throws: GraphError.self) { try repo.merge(y, into: "x", Self.info) }
        let conflicts = try repo.mergeConflicts(try #require(try repo.branchHead("x")), y)
        #expect(conflicts.map(\.kind) == [.field(.label, base: "N", ours: .string(nfc), theirs: .string(nfd))])
    }

    /// A respelled label and a respelled name show in a diff as a changed label, one property
    /// removed and one added.
    @Test func diffShowsRespellings() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: nfc, props: [nfc: 1], id: Self.id(1))
        let a = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), label: nfd, props: .replace([nfd: 1]))
        let b = try repo.commit(tx, Self.info)
        let diff = try repo.diff(a, b)
        #expect(diff.nodes.count == 1)
        guard case .changed(_, _, let fields)? = diff.nodes.first else { Issue.record("\(diff)"); return }
        #expect(fields == [FieldChange(field: .label, old: .string(nfc), new: .string(nfd)),
                           FieldChange(field: .prop(nfd), old: nil, new: 1),
                           FieldChange(field: .prop(nfc), old: 1, new: nil)])
        #expect(Field.prop(nfc) != Field.prop(nfd) && Set([Field.prop(nfc), .prop(nfd)]).count == 2)
    }
}
