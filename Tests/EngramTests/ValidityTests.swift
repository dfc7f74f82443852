@testable import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

/// Validity time (SPEC.md 7.10): queries valid at an instant against a reference model, the
/// commit-time checks, supersede, and commits written before the validity tree existed.
struct ValidityTests {
    static let info = CommitInfo(author: "validity", message: "step", time: 1_700_000_000_000_000)
    /// NFC and NFD spellings are two labels; a CJK one too.
    static let labels = ["Person", "Caf\u{e9}", "Cafe\u{301}", "名前\u{0}x"]
    static let edgeLabels = ["knows", "ärgert"]

    /// Whether properties `p` hold at `t` (nil: any), straight from the definition in SPEC 7.10.
    static func valid(_ p: IPLDMap, _ t: Int64?) -> Bool {
        guard let t else { return true }
        if let from = p["valid_from"]?.int64Value, t < from { return false }
        if let to = p["valid_to"]?.int64Value, t >= to { return false }
        return true
    }

    static func sameText(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Random validity properties over a small time range, so instants often hit a bound.
    static func interval(_ rng: inout RNG, into p: inout IPLDMap) {
        let a = Int64(rng.next() % 20) * 10, b = a + 10 * Int64(1 + rng.next() % 5)
        switch rng.next() % 5 {
        case 0: p["valid_from"] = .int(a)
        case 1: p["valid_to"] = .int(b)
        case 2:
            p["valid_from"] = .int(a)
            p["valid_to"] = .int(b)
        default: break
        }
    }

    static func nodeProps(_ rng: inout RNG) -> IPLDMap {
        var p: IPLDMap = ["age": .int(Int64(rng.next() % 6))]
        if rng.next() % 3 == 0 { p["name"] = .string(["ann", "Ängström", "x\u{0}y"][Int(rng.next() % 3)]) }
        interval(&rng, into: &p)
        return p
    }

    /// One random commit's worth of changes over `model`.
    static func step(_ rng: inout RNG, _ tx: inout Transaction, _ model: inout ReferenceGraph) throws {
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            let nodeIDs = model.nodes.keys.sorted(), edgeIDs = model.edges.keys.sorted()
            var change = ChangeSet()
            switch rng.next() % 8 {
            case 0, 1, 2:
                let id = rng.next() % 3 == 0 ? RandomChanges.pick(&rng, nodeIDs) ?? RandomChanges.id(&rng) : RandomChanges.id(&rng)
                let n = Node(id: id, label: RandomChanges.pick(&rng, labels)!, props: nodeProps(&rng))
                tx.putNode(n)
                change.put(n)
            case 3:
                guard let target = RandomChanges.pick(&rng, nodeIDs) else { continue }
                try tx.removeNode(target)
                change.removeNode(target)
            case 4, 5, 6:
                guard let a = RandomChanges.pick(&rng, nodeIDs), let b = RandomChanges.pick(&rng, nodeIDs) else { continue }
                var p = IPLDMap()
                interval(&rng, into: &p)
                let id = rng.next() % 4 == 0 ? RandomChanges.pick(&rng, edgeIDs) ?? RandomChanges.id(&rng) : RandomChanges.id(&rng)
                let e = Edge(id: id, src: a, label: RandomChanges.pick(&rng, edgeLabels)!, dst: b, props: p)
                tx.putEdge(e)
                change.put(e)
            default:
                guard let target = RandomChanges.pick(&rng, edgeIDs) else { continue }
                try tx.removeEdge(target)
                change.removeEdge(target)
            }
            model.apply(change)
        }
    }

    /// Every query and count of `s` valid at `t` (nil: any) against the model.
    static func check(_ s: GraphSnapshot, _ model: ReferenceGraph, at t: Int64?, _ context: String) throws {
        let validAt: ValidityTime = t.map(ValidityTime.at) ?? .any
        for label in labels {
            let mine = model.nodes.values.filter { sameText($0.label, label) }
            let want = mine.filter { valid($0.props, t) }
            var scan = try s.nodes(label: label, validAt: validAt)
            #expect(try scan.collect() == want.map(\.id).sorted(), "\(context) t=\(String(describing: t)): label \(label)")
            #expect(try s.count(label: label, validAt: validAt) == UInt64(want.count), "\(context): count \(label)")
            for age in 0..<3 {
                let hits = Set(want.filter { $0.props["age"] == .int(age) }.map(\.id))
                var eq = try s.nodes(label: label, where: "age", equals: .int(age), validAt: validAt)
                #expect(Set(try eq.collect()) == hits, "\(context): \(label).age == \(age)")
                #expect(try s.count(label: label, where: "age", equals: .int(age), validAt: validAt) == UInt64(hits.count))
            }
            let inRange = Set(want.filter { ($0.props["age"]?.int64Value).map { (2..<5).contains($0) } ?? false }.map(\.id))
            var range = try s.nodes(label: label, where: "age", from: .int(2), to: .int(5), validAt: validAt)
            #expect(Set(try range.collect()) == inRange, "\(context): \(label).age in 2..<5")
            #expect(try s.count(label: label, where: "age", from: .int(2), to: .int(5), validAt: validAt) == UInt64(inRange.count))
        }
        for n in model.nodes.keys.sorted().prefix(8) {
            let edges = model.edges.values.filter { valid($0.props, t) }
            let wantOut = Set(edges.filter { $0.src == n }.map { Neighbor(node: $0.dst, edge: $0.id, label: $0.label) })
            var out = try s.neighbors(n, .out, validAt: validAt)
            #expect(Set(try out.collect()) == wantOut, "\(context): out of \(n)")
            let wantIn = Set(edges.filter { $0.dst == n && sameText($0.label, "ärgert") }.map { Neighbor(node: $0.src, edge: $0.id, label: $0.label) })
            var inn = try s.neighbors(n, .in, label: "ärgert", validAt: validAt)
            #expect(Set(try inn.collect()) == wantIn, "\(context): in of \(n)")
            #expect(try s.degree(n, .in, label: "ärgert", validAt: validAt) == UInt64(wantIn.count))
            let both = edges.filter { $0.src == n }.count + edges.filter { $0.dst == n }.count
            #expect(try s.degree(n, .both, validAt: validAt) == UInt64(both), "\(context): degree of \(n)")
        }
    }

    /// Instants around the model's bounds, and `any`.
    static func instants(_ model: ReferenceGraph, _ rng: inout RNG) -> [Int64?] {
        var bounds: [Int64] = []
        for p in model.nodes.values.map(\.props) + model.edges.values.map(\.props) {
            for name in ["valid_from", "valid_to"] { if let v = p[name]?.int64Value { bounds.append(v) } }
        }
        var out: [Int64?] = [nil, -5, 1_000]
        for _ in 0..<3 { if let b = RandomChanges.pick(&rng, bounds) { out += [b, b - 1] } }
        return out
    }

    @Test func queriesValidAtAnInstantAgreeWithTheReference() async {
        await propertyCheck(count: 8, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var model = ReferenceGraph()
            for step in 0..<20 {
                var tx = try repo.transaction()
                try Self.step(&rng, &tx, &model)
                let s = try repo.snapshot(try repo.commit(tx, Self.info))
                for t in Self.instants(model, &rng) { try Self.check(s, model, at: t, "seed \(seed) step \(step)") }
                #expect(try s.rebuildIndexes() == s.index, "seed \(seed) step \(step): incremental validity tree")
            }
            // The same graph loaded by a stream into an empty repository: the same trees.
            let other = try Repository(store: MemoryBlockStore())
            var ops: [ChangeOp] = model.nodes.values.map { .putNode($0) } + model.edges.values.map { .putEdge($0) }
            let head = try repo.snapshot(try repo.head())
            let loaded = try other.snapshot(try other.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in
                ops.isEmpty ? nil : ops.removeLast()
            })
            #expect(loaded.index == head.index, "seed \(seed): bulk load")
        }
    }

    @Test func aSnapshotWithoutTheValidityTreeReadsTheFacts() throws {
        var rng = RNG(seed: 7)
        let repo = try Repository(store: MemoryBlockStore())
        var model = ReferenceGraph()
        for _ in 0..<6 {
            var tx = try repo.transaction()
            try Self.step(&rng, &tx, &model)
            _ = try repo.commit(tx, Self.info)
        }
        let s = try repo.snapshot(try repo.head())
        var legacyIndex = s.index
        legacyIndex.validity = nil
        legacyIndex.vectors = nil
        let legacy = GraphSnapshot(commitCID: nil, commit: nil, nodes: s.nodes, edges: s.edges, index: legacyIndex)
        for t in Self.instants(model, &rng) { try Self.check(legacy, model, at: t, "legacy") }
        // A commit over it builds both trees once, as a fresh build would.
        let written = try GraphWriter(base: legacy).apply(ChangeSet())
        #expect(written.index == s.index)
    }

    /// The index set of the golden scenario's first commit as written before the vectors and
    /// validity trees: it decodes without them and re-encodes byte for byte.
    @Test func anOlderIndexSetReencodesUnchanged() throws {
        let hex = "a662696ed82a582500017112200bf64ec32152f2186c69fd71f7a164c3314381f29019890ec5a79e6a8f4b3220636f7574d82a58250001711220628426e9e54483bd1459c22d610ef6c001594d72cfa8972daadd5580305e0a7f655f6b696e6469696e6465785f7365746570726f7073d82a5825000171122008b49386bbbbf410eb9899483f1e7a10fbde021fda7f9ce71ed037553ad1dbad66666f726d617402666c6162656c73d82a582500017112201e46508b07a459bbe2ef35964ea2b0b8d05c1c7198823540054715a4586342ba"
        let bytes = try #require(Hex.decode(hex))
        let set = try IndexSet.decode(bytes)
        #expect(set.vectors == nil && set.validity == nil)
        #expect(set.encode() == bytes)
        var newer = set
        newer.vectors = set.labels
        newer.validity = set.props
        let round = try IndexSet.decode(newer.encode())
        #expect(round == newer)
    }

    @Test func supersedeKeepsBothBeliefAndTruth() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let monday: Int64 = 1_000, tuesday: Int64 = 2_000
        var tx = try repo.transaction()
        let ada = tx.addNode(label: "Persön", props: ["name": "Ada", "editor": "vim"])
        let topic = tx.addNode(label: "Topic", props: ["name": "editors"])
        let likes = tx.addEdge(from: ada, "mag", to: topic, props: ["how": "a lot"])
        let c1 = try repo.commit(tx, Self.info)

        tx = try repo.transaction()
        let ada2 = try tx.supersede(ada, with: Node(label: "Persön", props: ["name": "Ada", "editor": "helix"]), at: tuesday)
        let likes2 = try tx.supersede(likes, with: Edge(src: ada2, label: "mag", dst: topic), at: tuesday)
        let c2 = try repo.commit(tx, Self.info)

        let now = try repo.snapshot(c2), before = try repo.snapshot(c1)
        func ids(_ s: GraphSnapshot, _ t: ValidityTime) throws -> [EntityID] {
            var scan = try s.nodes(label: "Persön", validAt: t)
            return try scan.collect()
        }
        #expect(try ids(now, .at(monday)) == [ada])
        #expect(try ids(now, .at(tuesday)) == [ada2])
        #expect(try ids(now, .now) == [ada2])
        #expect(try Set(ids(now, .any)) == [ada, ada2])
        #expect(try now.count(label: "Persön", validAt: .at(monday)) == 1)
        #expect(try now.count(label: "Persön", validAt: .any) == 2)
        var vim = try now.nodes(label: "Persön", where: "editor", equals: "vim", validAt: .at(tuesday))
        #expect(try vim.collect().isEmpty)
        #expect(try now.count(label: "Persön", where: "editor", equals: "vim", validAt: .at(monday)) == 1)
        // What the older revision believed: Ada uses vim, with no end in sight.
        #expect(try ids(before, .at(tuesday)) == [ada])
        #expect(try before.node(ada)?.props["valid_to"] == nil)
        #expect(try now.node(ada)?.props["valid_to"] == .int(tuesday))
        #expect(try now.node(ada2)?.props["valid_from"] == .int(tuesday))
        var inMonday = try now.neighbors(topic, .in, validAt: .at(monday))
        #expect(try inMonday.collect().map(\.edge) == [likes])
        var inTuesday = try now.neighbors(topic, .in, validAt: .at(tuesday))
        #expect(try inTuesday.collect().map(\.edge) == [likes2])
        #expect(try now.degree(topic, .in, validAt: .any) == 2)
        #expect(try now.degree(topic, .in, validAt: .at(tuesday)) == 1)
        // A traversal walks only edges valid then.
        var walk = now.traverse(from: ada2, .out, maxDepth: 1, validAt: .at(monday))
        #expect(try walk.collect().map(\.node) == [ada2])
    }

    /// Each side's change is valid, their merge is an empty interval: the merge commit is refused.
    @Test func aMergeThatEmptiesAnIntervalIsRefused() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let fact = tx.addNode(label: "Fact", props: ["valid_from": 10, "valid_to": 50])
        let base = try repo.commit(tx, Self.info)
        try repo.createBranch("side", at: base)
        tx = try repo.transaction(on: "side")
        try tx.updateNode(fact, props: .patch(["valid_from": 40]))
        let side = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(fact, props: .patch(["valid_to": 20]))
        let main = try repo.commit(tx, Self.info)
        #expect { _ = try repo.merge(side, Self.info) } throws: { error in
            guard case .invalidValidity(let entity, _) = error as? GraphError else { return false }
            return entity == fact
        }
        #expect(try repo.head() == main)
    }

    @Test func supersedeRefusesEmptyIntervals() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "N", props: ["valid_from": 500])
        _ = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        #expect(throws: GraphError.self) { try tx.supersede(a, with: Node(label: "N"), at: 400) }
        #expect(throws: GraphError.self) { try tx.supersede(a, with: Node(id: a, label: "N"), at: 600) }
        let missing = EntityID(high: 1, low: 2)
        #expect(throws: GraphError.nodeNotFound(missing)) { try tx.supersede(missing, with: Node(label: "N"), at: 600) }
        try tx.supersede(a, with: Node(label: "N"), at: 600)
        #expect(throws: GraphError.self) { try tx.supersede(a, with: Node(label: "N"), at: 700) }
    }

    @Test(arguments: [
        (IPLD.string("monday") as IPLD?, nil as IPLD?),
        (IPLD.float(1.5) as IPLD?, nil as IPLD?),
        (nil as IPLD?, IPLD.integer(IPLDInteger(isNegative: false, cborArgument: .max)) as IPLD?),
        (IPLD.int(5) as IPLD?, IPLD.int(5) as IPLD?),
        (IPLD.int(6) as IPLD?, IPLD.int(5) as IPLD?),
        (nil as IPLD?, IPLD.list([]) as IPLD?),
    ] as [(IPLD?, IPLD?)])
    func aCommitRefusesBadValidity(from: IPLD?, to: IPLD?) throws {
        var props: IPLDMap = ["name": "ü"]
        props["valid_from"] = from
        props["valid_to"] = to
        for onEdge in [false, true] {
            let repo = try Repository(store: MemoryBlockStore())
            var tx = try repo.transaction()
            let a = tx.addNode(label: "N", props: onEdge ? [:] : props)
            let e = onEdge ? tx.addEdge(from: a, "e", to: a, props: props) : nil
            let bad = e ?? a
            #expect { _ = try repo.commit(tx, Self.info) } throws: { error in
                guard case .invalidValidity(let entity, _) = error as? GraphError else { return false }
                return entity == bad
            }
            // The stream into an empty graph refuses it too.
            var ops: [ChangeOp] = [.putNode(Node(id: a, label: "N", props: onEdge ? [:] : props))]
            if onEdge { ops.append(.putEdge(Edge(id: bad, src: a, label: "e", dst: a, props: props))) }
            #expect { _ = try repo.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in ops.isEmpty ? nil : ops.removeFirst() } }
                throws: { error in
                    guard case .invalidValidity(let entity, _) = error as? GraphError else { return false }
                    return entity == bad
                }
            #expect(try repo.head() == nil)
        }
    }
}
