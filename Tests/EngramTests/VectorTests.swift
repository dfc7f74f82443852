@testable import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

/// Vectors (SPEC.md 7.12): exact k-NN against a brute-force reference in Double, the vectors
/// tree kept incrementally, searches at old revisions, and the typed errors.
struct VectorTests {
    static let info = CommitInfo(author: "vectors", message: "step", time: 1_700_000_000_000_000)
    /// Two models of different dimensions (one over a chunk of 256 components), non-ASCII names.
    static let models: [(name: String, dims: Int)] = [("mini-lm", 17), ("模型-ü\u{0}", 300)]
    static let labels = ["Doc", "Caf\u{e9}", "Cafe\u{301}"]

    /// Small integer components, so float32 sums are exact and the reference ranks identically
    /// (ties included); a few vectors are all zeros.
    static func vector(_ rng: inout RNG, _ dims: Int) -> [Float] {
        if rng.next() % 10 == 0 { return [Float](repeating: 0, count: dims) }
        return (0..<dims).map { _ in Float(Int(rng.next() % 17) - 8) }
    }

    static func node(_ rng: inout RNG, id: EntityID) throws -> Node {
        var n = Node(id: id, label: RandomChanges.pick(&rng, labels)!, props: ["kind": .int(Int64(rng.next() % 3))])
        if rng.next() % 5 != 0 {
            let model = RandomChanges.pick(&rng, models)!
            try n.setEmbedding(vector(&rng, model.dims), model: model.name)
        }
        if rng.next() % 4 == 0 {
            let from = Int64(rng.next() % 10) * 10
            n.props["valid_from"] = .int(from)
            if rng.next() % 2 == 0 { n.props["valid_to"] = .int(from + 30) }
        }
        return n
    }

    /// The reference: every eligible node scored in Double, best first, ties by id.
    static func reference(_ nodes: [Node], _ q: VectorQuery, at t: Int64?) -> [VectorHit] {
        let query = q.vector.map(Double.init)
        var hits: [VectorHit] = []
        for n in nodes {
            guard let e = n.embedding, e.model.utf8.elementsEqual(q.model.utf8), e.vector.count == query.count else { continue }
            if !q.filter.labels.isEmpty && !q.filter.labels.contains(where: { $0.utf8.elementsEqual(n.label.utf8) }) { continue }
            if q.filter.properties.contains(where: { n.props[$0.name] != $0.value }) { continue }
            if !ValidityTests.valid(n.props, t) { continue }
            let v = e.vector.map(Double.init)
            let dot = zip(query, v).reduce(0.0) { $0 + $1.0 * $1.1 }
            let score: Double
            switch q.metric {
            case .dot: score = dot
            case .cosine:
                let qq = query.reduce(0.0) { $0 + $1 * $1 }, vv = v.reduce(0.0) { $0 + $1 * $1 }
                score = qq == 0 || vv == 0 ? 0 : dot / (qq.squareRoot() * vv.squareRoot())
            }
            hits.append(VectorHit(id: n.id, score: score))
        }
        hits.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return Array(hits.prefix(q.k))
    }

    static func randomQuery(_ rng: inout RNG) -> (VectorQuery, Int64?) {
        let model = RandomChanges.pick(&rng, models)!
        var filter = NodeFilter(validAt: .any)
        if rng.next() % 2 == 0 { filter.labels = Array(labels.shuffled(using: &rng).prefix(1 + Int(rng.next() % 2))) }
        if rng.next() % 3 == 0 { filter.properties = [.init("kind", .int(Int64(rng.next() % 3)))] }
        let t: Int64? = rng.next() % 2 == 0 ? Int64(rng.next() % 12) * 10 : nil
        filter.validAt = t.map(ValidityTime.at) ?? .any
        let q = VectorQuery(vector: vector(&rng, model.dims), model: model.name, k: [0, 1, 3, 10, 1000][Int(rng.next() % 5)],
                            metric: rng.next() % 2 == 0 ? .cosine : .dot, filter: filter)
        return (q, t)
    }

    @Test func nearestAgreesWithTheReferenceAtEveryRevision() async {
        await propertyCheck(count: 6, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var nodes: [EntityID: Node] = [:]
            var history: [(CID, [Node])] = []
            for step in 0..<12 {
                var tx = try repo.transaction()
                for _ in 0..<(1 + Int(rng.next() % 12)) {
                    let ids = nodes.keys.sorted()
                    switch rng.next() % 6 {
                    case 0 where !ids.isEmpty:
                        let id = RandomChanges.pick(&rng, ids)!
                        try tx.removeNode(id)
                        nodes[id] = nil
                    case 1 where !ids.isEmpty:
                        // A new label or embedding for an existing node moves its entries.
                        let n = try Self.node(&rng, id: RandomChanges.pick(&rng, ids)!)
                        tx.putNode(n)
                        nodes[n.id] = n
                    default:
                        let n = try Self.node(&rng, id: RandomChanges.id(&rng))
                        tx.putNode(n)
                        nodes[n.id] = n
                    }
                }
                let cid = try repo.commit(tx, Self.info)
                let s = try repo.snapshot(cid)
                #expect(try s.rebuildIndexes() == s.index, "seed \(seed) step \(step): incremental vectors tree")
                history.append((cid, Array(nodes.values)))
                for _ in 0..<8 {
                    let (q, t) = Self.randomQuery(&rng)
                    let got = try s.nearest(q)
                    let want = Self.reference(Array(nodes.values), q, at: t)
                    #expect(got == want, "seed \(seed) step \(step): \(q.metric) k \(q.k)")
                }
            }
            // An old revision answers as a fresh repository holding its graph does.
            let (old, graph) = history[Int(rng.next() % UInt64(history.count))]
            let fresh = try Repository(store: MemoryBlockStore())
            var once = ChangeSet()
            for n in graph { once.put(n) }
            let freshSnapshot = try fresh.snapshot(try fresh.commit(once, Self.info))
            let oldSnapshot = try repo.snapshot(old)
            #expect(freshSnapshot.index == oldSnapshot.index)
            // A stream into an empty graph (the bulk load) builds the same vectors tree.
            let streamed = try Repository(store: MemoryBlockStore())
            var ops = graph.map(ChangeOp.putNode)
            let loaded = try streamed.snapshot(try streamed.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in
                ops.popLast()
            })
            #expect(loaded.index == oldSnapshot.index, "seed \(seed): bulk load")
            for _ in 0..<10 {
                let (q, _) = Self.randomQuery(&rng)
                #expect(try oldSnapshot.nearest(q) == freshSnapshot.nearest(q), "seed \(seed): old revision")
            }
        }
    }

    /// Fractional components: float32 sums round, so scores match the reference within a
    /// tolerance and each returned node's own score is right.
    @Test func fractionalVectorsScoreWithinTolerance() throws {
        var rng = RNG(seed: 99)
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var nodes: [Node] = []
        for _ in 0..<200 {
            var n = Node(label: "Doc")
            try n.setEmbedding((0..<384).map { _ in Float(Int(rng.next() % 20001) - 10000) / 7919 }, model: "e5")
            tx.putNode(n)
            nodes.append(n)
        }
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        for metric in VectorMetric.allCases {
            let q = VectorQuery(vector: (0..<384).map { _ in Float(Int(rng.next() % 2001) - 1000) / 333 }, model: "e5", k: 10, metric: metric)
            let got = try s.nearest(q)
            let want = Self.reference(nodes, q, at: nil)
            let all = Dictionary(uniqueKeysWithValues: Self.reference(nodes, VectorQuery(vector: q.vector, model: "e5", k: 1000, metric: metric), at: nil).map { ($0.id, $0.score) })
            #expect(got.count == 10)
            for (g, w) in zip(got, want) {
                #expect(abs(g.score - w.score) <= 1e-4 * max(1, abs(w.score)))
                #expect(abs(g.score - all[g.id]!) <= 1e-4 * max(1, abs(g.score)))
            }
        }
    }

    @Test func aSnapshotWithoutTheVectorsTreeReadsTheNodes() throws {
        var rng = RNG(seed: 3)
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var nodes: [Node] = []
        for _ in 0..<40 {
            let n = try Self.node(&rng, id: RandomChanges.id(&rng))
            tx.putNode(n)
            nodes.append(n)
        }
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        var legacyIndex = s.index
        legacyIndex.vectors = nil
        legacyIndex.validity = nil
        let legacy = GraphSnapshot(commitCID: nil, commit: nil, nodes: s.nodes, edges: s.edges, index: legacyIndex)
        for _ in 0..<20 {
            let (q, t) = Self.randomQuery(&rng)
            #expect(try legacy.nearest(q) == Self.reference(nodes, q, at: t))
        }
    }

    @Test func theValidityDefaultIsNow() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var open = Node(label: "Doc"), closed = Node(label: "Doc", props: ["valid_to": 1])
        try open.setEmbedding([1, 0], model: "m")
        try closed.setEmbedding([1, 0], model: "m")
        tx.putNode(open)
        tx.putNode(closed)
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        #expect(try s.nearest(VectorQuery(vector: [1, 0], model: "m")).map(\.id) == [open.id])
        #expect(try Set(s.nearest(VectorQuery(vector: [1, 0], model: "m", filter: .everything)).map(\.id)) == [open.id, closed.id])
        #expect(try s.nearest(VectorQuery(vector: [1, 0], model: "M")).isEmpty)
    }

    /// Bad `embedding` values and a word of the reason each is refused for.
    static let badEmbeddings: [(IPLD, String)] = [
        (.map(["model": "m", "vector": .bytes([0, 0, 128, 63, 0])]), "multiple of 4"),
        (.map(["model": "m", "vector": .bytes([0, 0, 192, 127])]), "not finite"),
        (.map(["model": "m", "vector": .bytes([0, 0, 128, 127])]), "not finite"),
        (.map(["model": "m", "vector": .bytes([])]), "dimensions"),
        (.map(["model": "m", "vector": .bytes([UInt8](repeating: 0, count: 4 * 4097))]), "dimensions"),
        (.map(["model": "", "vector": .bytes([0, 0, 128, 63])]), "empty"),
        (.map(["model": .string(String(repeating: "ü", count: 129)), "vector": .bytes([0, 0, 128, 63])]), "bytes"),
        (.map(["model": "m", "vector": .bytes([0, 0, 128, 63]), "norm": 1]), "unexpected key"),
        (.map(["model": "m", "vector": .list([1])]), "not bytes"),
        (.string("vim"), "not a map"),
    ]

    @Test(arguments: 0..<10)
    func aCommitRefusesABadEmbedding(_ index: Int) throws {
        let (value, reason) = Self.badEmbeddings[index]
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let id = tx.addNode(label: "Doc", props: ["embedding": value])
        #expect { _ = try repo.commit(tx, Self.info) } throws: { error in
            guard case .invalidEmbedding(let node, let why) = error as? GraphError else { return false }
            return node == id && why.contains(reason)
        }
        var ops: [ChangeOp] = [.putNode(Node(id: id, label: "Doc", props: ["embedding": value]))]
        #expect(throws: GraphError.self) {
            _ = try repo.commitStream(Self.info) { () throws(GraphError) -> ChangeOp? in ops.isEmpty ? nil : ops.removeFirst() }
        }
    }

    @Test func setEmbeddingRefusesWhatACommitWould() {
        var n = Node(label: "Doc")
        #expect(throws: GraphError.self) { try n.setEmbedding([], model: "m") }
        #expect(throws: GraphError.self) { try n.setEmbedding([.nan], model: "m") }
        #expect(throws: GraphError.self) { try n.setEmbedding([1, .infinity], model: "m") }
        #expect(throws: GraphError.self) { try n.setEmbedding([1], model: "") }
        #expect(n.props.count == 0)
        #expect(throws: Never.self) { try n.setEmbedding([1.5, -2], model: "模型") }
        #expect(n.embedding == Embedding(model: "模型", vector: [1.5, -2]))
        // Little-endian float32: 1.5 is 0x3fc00000.
        #expect(n.props["embedding"]?["vector"] == .bytes([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]))
    }

    @Test func queriesAreChecked() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var n = Node(label: "Doc")
        try n.setEmbedding([1, 2, 3], model: "m")
        tx.putNode(n)
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        #expect(throws: GraphError.vectorDimensionMismatch(model: "m", query: 2, stored: 3)) {
            try s.nearest(VectorQuery(vector: [1, 2], model: "m"))
        }
        #expect(throws: GraphError.self) { try s.nearest(VectorQuery(vector: [], model: "m")) }
        #expect(throws: GraphError.self) { try s.nearest(VectorQuery(vector: [1, .nan, 3], model: "m")) }
        #expect(throws: GraphError.self) { try s.nearest(VectorQuery(vector: [1, 2, 3], model: "m", k: -1)) }
        #expect(throws: GraphError.self) { try s.nearest(VectorQuery(vector: [1, 2, 3], model: "")) }
        #expect(try s.nearest(VectorQuery(vector: [1, 2, 3], model: "m", k: 0)).isEmpty)
        // Cosine with a zero vector scores 0 (SPEC 7.12).
        #expect(try s.nearest(VectorQuery(vector: [0, 0, 0], model: "m")) == [VectorHit(id: n.id, score: 0)])
    }

    @Test func embeddingsChangeAndGoWithTheirNode() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let a = tx.addNode(label: "Doc", props: ["title": "ä"])
        let b = tx.addNode(label: "Doc")
        try tx.setEmbedding(of: a, [1, 0], model: "m")
        try tx.setEmbedding(of: b, [0, 1], model: "m")
        _ = try repo.commit(tx, Self.info)
        let q = VectorQuery(vector: [1, 0], model: "m", k: 1, metric: .dot)
        #expect(try repo.snapshot(try repo.head()).nearest(q) == [VectorHit(id: a, score: 1)])
        tx = try repo.transaction()
        try tx.setEmbedding(of: a, [-1, 0], model: "m")
        _ = try repo.commit(tx, Self.info)
        #expect(try repo.snapshot(try repo.head()).nearest(q) == [VectorHit(id: b, score: 0)])
        tx = try repo.transaction()
        var node = try #require(try tx.node(b))
        node.removeEmbedding()
        tx.putNode(node)
        try tx.removeNode(a)
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        #expect(try s.nearest(q).isEmpty)
        #expect(try s.index.vectors?.isEmpty() == true)
        #expect(throws: GraphError.nodeNotFound(a)) { try tx.setEmbedding(of: a, [1], model: "m") }
    }

    /// A toy embedder: counts of a, b and c.
    struct LetterCounts: Embedder {
        var model: String { "letters" }
        func embed(_ texts: [String]) throws -> [[Float]] {
            texts.map { t in ["a", "b", "c"].map { ch in Float(t.filter { String($0) == ch }.count) } }
        }
    }

    @Test func anEmbedderMakesTheQueryVector() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var ids: [String: EntityID] = [:]
        for text in ["aaa", "bbb", "abc"] {
            var n = Node(label: "Doc", props: ["text": .string(text)])
            try n.setEmbedding(try LetterCounts().embed([text])[0], model: "letters")
            tx.putNode(n)
            ids[text] = n.id
        }
        let s = try repo.snapshot(try repo.commit(tx, Self.info))
        let hits = try s.nearest(try VectorQuery(text: "bab", embedder: LetterCounts(), k: 1))
        #expect(hits.map(\.id) == [ids["bbb"]!])
    }
}
