import Engram
import EngramIPLD
import EngramStore
import Testing

/// Recall end to end: both lanes over real indexes, at old commits, with an embedder.
struct RecallTests {
    static let words = ["editor", "vim", "emacs", "café", "cafe\u{301}", "東京", "nul\u{0}word", "garden", "deploy", "Straße"]

    /// Memory notes with text and a small embedding, edges between some of them.
    static func randomCommit(_ rng: inout RNG, _ repo: Repository, ids: inout [EntityID], time: Int64) throws {
        var tx = try repo.transaction()
        for _ in 0..<Int(rng.next() % 6) + 1 {
            let roll = rng.next() % 10
            if roll < 5 || ids.isEmpty {
                let text = (0..<Int(rng.next() % 6) + 1).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
                var node = Node(id: EntityID(high: rng.next(), low: rng.next()), label: rng.next() % 3 == 0 ? "Person" : "Note",
                                props: ["text": .string(text)])
                if rng.next() % 4 != 0 { try node.setEmbedding((0..<4).map { _ in Float(Int(rng.next() % 21) - 10) }, model: "m-ü") }
                if rng.next() % 5 == 0 { node.props["valid_to"] = .int(Int64(rng.next() % 3_000)) }
                tx.putNode(node)
                ids.append(node.id)
            } else if roll < 6 {
                let id = ids[Int(rng.next() % UInt64(ids.count))]
                try tx.updateNode(id, props: .patch(["text": .string(words[Int(rng.next() % UInt64(words.count))])]))
            } else if roll < 9 {
                let a = ids[Int(rng.next() % UInt64(ids.count))], b = ids[Int(rng.next() % UInt64(ids.count))]
                try tx.addEdge(from: a, rng.next() % 2 == 0 ? "about" : "knows", to: b)
            } else {
                let id = ids.remove(at: Int(rng.next() % UInt64(ids.count)))
                try tx.removeNode(id)
            }
        }
        try repo.commit(tx, CommitInfo(author: "t", message: "c", time: time))
    }

    static func requests(_ rng: inout RNG) -> [RecallRequest] {
        (0..<6).map { i in
            let text = i % 3 == 2 ? nil : words[Int(rng.next() % UInt64(words.count))] + " " + words[Int(rng.next() % UInt64(words.count))]
            let vector = i % 3 == 0 ? nil : RecallRequest.QueryVector((0..<4).map { _ in Float(Int(rng.next() % 21) - 10) + 0.5 }, model: "m-ü")
            return RecallRequest(text: text, vector: vector,
                                 filter: NodeFilter(labels: i % 2 == 0 ? [] : ["Note"], validAt: .at(Int64(rng.next() % 4_000))),
                                 expansion: i % 2 == 0 ? RecallExpansion(hops: 2) : nil,
                                 budget: .tokens(Int(rng.next() % 400) + 20), candidatesPerLane: 8)
        }
    }

    /// The same request at an old commit and on a fresh repository holding only that commit's
    /// graph gives the same items, scores, reasons and dropped list.
    @Test(arguments: 0..<4) func recallAtAnOldCommitEqualsAFreshRepository(seed: UInt64) throws {
        var rng = RNG(seed: 900 + seed)
        let repo = try Repository(store: MemoryBlockStore())
        var ids: [EntityID] = [], commits: [CID] = [], recalled = 0, expanded = 0
        for t in 0..<16 {
            try Self.randomCommit(&rng, repo, ids: &ids, time: Int64(t))
            commits.append(try #require(try repo.head()))
        }
        for old in [commits[5], commits[11]] {
            let fresh = try Repository(store: MemoryBlockStore())
            var ops: [ChangeOp] = []
            let s = try repo.snapshot(old)
            try s.forEachNode { ops.append(.putNode($0)) }
            try s.forEachEdge { ops.append(.putEdge($0)) }
            var it = ops.makeIterator()
            try fresh.commitStream(CommitInfo(author: "t", message: "copy", time: 0)) { it.next() }
            for request in Self.requests(&rng) {
                let a = try repo.recall(request, at: old.description)
                let b = try fresh.recall(request)
                #expect(a.items.map(\.node) == b.items.map(\.node))
                #expect(a.items.map(\.score) == b.items.map(\.score))
                #expect(a.items.map(\.reasons) == b.items.map(\.reasons))
                #expect(a.dropped.map(\.id) == b.dropped.map(\.id))
                #expect(a.used == b.used)
                recalled += a.items.count
                expanded += a.items.filter { $0.reasons.contains { if case .expansion = $0 { true } else { false } } }.count
                // What was recalled passes the filter.
                let filter = request.filter.resolved()
                for item in a.items where item.reasons.contains(where: { if case .lane = $0 { true } else { false } }) {
                    #expect(filter.matches(item.node))
                }
            }
        }
        // The requests found something, expansions included, so the comparison above is not of empty lists.
        #expect(recalled >= 10 && expanded > 0, "\(recalled) items, \(expanded) by expansion")
    }

    /// A node found by both lanes outranks nodes found by one; the embedder turns text into
    /// the vector lane's query when no vector is given.
    @Test func bothLanesFuseAndAnEmbedderFeedsTheVectorLane() throws {
        struct Axis: Embedder {
            let model = "axis"
            func embed(_ texts: [String]) throws -> [[Float]] { texts.map { $0.contains("vim") ? [1, 0] : [0, 1] } }
        }
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        func note(_ n: UInt64, _ text: String, _ v: [Float]) throws {
            var node = Node(id: RepositoryTests.id(n), label: "Note", props: ["text": .string(text)])
            try node.setEmbedding(v, model: "axis")
            tx.putNode(node)
        }
        try note(1, "vim is Ada's editor", [1, 0])
        try note(2, "vim keybindings everywhere vim vim", [0, 1])
        try note(3, "she likes modal editing", [0.9, 0.1])
        try repo.commit(tx, RepositoryTests.info())
        let r = try repo.recall(text: "vim editor", validAt: .any, embedder: Axis())
        let first = try #require(r.items.first)
        #expect(first.node.id == RepositoryTests.id(1))
        #expect(first.reasons.count == 2)
        let lanes: [RecallLane] = first.reasons.compactMap { if case .lane(let l, _, _, _) = $0 { l } else { nil } }
        #expect(Set(lanes) == [RecallLane.text, .vector])
        // Node 3 has no query term: only the vector lane found it.
        let three = try #require(r.items.first { $0.node.id == RepositoryTests.id(3) })
        #expect(three.reasons.count == 1)
        // Without the embedder, only text.
        let textOnly = try repo.recall(text: "vim editor", validAt: .any)
        #expect(!textOnly.items.contains { $0.node.id == RepositoryTests.id(3) })
        // A vector of another dimension is a typed error.
        #expect(throws: GraphError.self) {
            try repo.recall(vector: .init([1, 2, 3], model: "axis"), validAt: .any)
        }
    }

    /// Superseded facts are recalled when the question is about the time they held.
    @Test func recallAnswersValidTimeQuestions() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "Fact", props: ["text": .string("Ada's editor is emacs")], id: RepositoryTests.id(1))
        try repo.commit(tx, RepositoryTests.info(time: 10))
        var tx2 = try repo.transaction()
        _ = try tx2.supersede(RepositoryTests.id(1), with: Node(id: RepositoryTests.id(2), label: "Fact", props: ["text": .string("Ada's editor is vim")]), at: 1_000)
        try repo.commit(tx2, RepositoryTests.info(time: 20))
        let before = try repo.recall(text: "editor", validAt: .at(500))
        #expect(before.items.map(\.node.id) == [RepositoryTests.id(1)])
        let after = try repo.recall(text: "editor", validAt: .at(2_000))
        #expect(after.items.map(\.node.id) == [RepositoryTests.id(2)])
        let both = try repo.recall(text: "editor", validAt: .any)
        #expect(Set(both.items.map(\.node.id)) == [RepositoryTests.id(1), RepositoryTests.id(2)])
    }
}
