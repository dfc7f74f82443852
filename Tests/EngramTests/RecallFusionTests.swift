@testable import Engram
import EngramIPLD
import EngramStore
import Testing

/// Fusion, expansion and packing of recall, fed with lanes made up by the tests (the lanes
/// themselves are tested with the full-text and vector indexes).
struct RecallFusionTests {
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    @Test func reciprocalRankFusionMatchesAReferenceSum() {
        var rng = RNG(seed: 11)
        for _ in 0..<200 {
            let k = Int(rng.next() % 100) + 1
            var lanes: [RankedLane] = []
            for lane in [RecallLane.text, .vector] {
                var ids = Array(0..<40).map { Self.id(UInt64($0)) }
                ids.shuffle(using: &rng)
                let n = Int(rng.next() % 30)
                lanes.append(RankedLane(lane: lane, hits: ids.prefix(n).map { ($0, Double(rng.next() % 1000), []) }))
            }
            var expected: [EntityID: Double] = [:]
            for lane in lanes { for (r, h) in lane.hits.enumerated() { expected[h.id, default: 0] += 1 / Double(k + r + 1) } }
            let fused = RankFusion.reciprocal(lanes, k: k)
            #expect(fused.count == expected.count)
            for f in fused { #expect(abs(f.score - expected[f.id]!) < 1e-12) }
            for (a, b) in zip(fused, fused.dropFirst()) { #expect(a.score > b.score || (a.score == b.score && a.id < b.id)) }
            // Each hit names every lane that found it, with its 1-based rank there.
            for f in fused {
                for case .lane(let lane, let rank, _, _) in f.reasons {
                    #expect(lanes.first { $0.lane == lane }!.hits[rank - 1].id == f.id)
                }
            }
        }
    }

    /// A graph of notes with text of many sizes (non-ASCII, NFD, NUL), and random lanes over it:
    /// packing keeps the fused order, never exceeds the budget, and drops exactly what did not
    /// fit when its turn came.
    @Test func packingRespectsTheBudgetInFusedOrder() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        var rng = RNG(seed: 5)
        let texts = ["Ada’s editor: vim", "Cafe\u{301} au lait", "nul\u{0}byte", "東京の天気", "plain"]
        for i in 0..<60 {
            let body = String(repeating: texts[i % texts.count] + " ", count: Int(rng.next() % 40) + 1)
            tx.addNode(label: "Note", props: ["text": .string(body)], id: Self.id(UInt64(i)))
        }
        try repo.commit(tx, RepositoryTests.info())
        let snapshot = try repo.snapshot(repo.head())
        for round in 0..<50 {
            var ids = Array(0..<60).map { Self.id(UInt64($0)) }
            ids.shuffle(using: &rng)
            let lanes = [RankedLane(lane: .text, hits: ids.prefix(25).map { ($0, 1, ["x"]) }),
                         RankedLane(lane: .vector, hits: ids.suffix(25).map { ($0, 0.5, []) })]
            let budget: RecallBudget = round % 2 == 0 ? .bytes(Int(rng.next() % 6000) + 1) : .tokens(Int(rng.next() % 1500) + 1)
            let request = RecallRequest(text: "x", budget: budget)
            let result = try snapshot.recall(fusing: lanes, request, filter: NodeFilter(validAt: .any).resolved())
            let fused = RankFusion.reciprocal(lanes, k: request.fusionK)
            // Reference: greedy over the fused order with the item's encoded size.
            var used = 0, kept: [EntityID] = [], left: [EntityID] = []
            for f in fused {
                let bytes = try DAGJSON.encode(GraphJSON.value(try #require(try snapshot.node(f.id)))).count
                let cost = budget.cost(ofBytes: bytes)
                if cost <= budget.limit - used { used += cost; kept.append(f.id) } else { left.append(f.id) }
            }
            #expect(result.items.map(\.node.id) == kept)
            #expect(result.dropped.map(\.id) == left)
            #expect(result.used == used && used <= budget.limit)
            #expect(result.items.map(\.cost).reduce(0, +) == used)
        }
    }

    /// a -knows-> b -knows-> c, a -likes-> d, a -knows-> e (closed edge), b -knows-> f (closed node).
    @Test func expansionFollowsChosenEdgesAndSkipsClosedFacts() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        for (n, props) in [(1, IPLDMap()), (2, [:]), (3, [:]), (4, [:]), (5, [:]),
                           (6, ["valid_to": .int(100)] as IPLDMap)] {
            tx.addNode(label: "P", props: { var p = props; p["name"] = .string("n\(n)"); return p }(), id: Self.id(UInt64(n)))
        }
        let ab = try tx.addEdge(from: Self.id(1), "knows", to: Self.id(2), id: Self.id(12))
        let bc = try tx.addEdge(from: Self.id(2), "knows", to: Self.id(3), id: Self.id(23))
        _ = try tx.addEdge(from: Self.id(1), "likes", to: Self.id(4), id: Self.id(14))
        _ = try tx.addEdge(from: Self.id(1), "knows", to: Self.id(5), props: ["valid_to": .int(100)], id: Self.id(15))
        _ = try tx.addEdge(from: Self.id(2), "knows", to: Self.id(6), id: Self.id(26))
        try repo.commit(tx, RepositoryTests.info())
        let snapshot = try repo.snapshot(repo.head())
        let lanes = [RankedLane(lane: .text, hits: [(Self.id(1), 3, ["n1"])])]
        func run(_ e: RecallExpansion, at: ValidityTime) throws -> RecallResult {
            let request = RecallRequest(text: "n1", expansion: e, budget: .bytes(100_000))
            return try snapshot.recall(fusing: lanes, request, filter: NodeFilter(validAt: at).resolved())
        }
        let now = try run(RecallExpansion(hops: 2, edgeLabels: ["knows"]), at: .at(1_000))
        #expect(now.items.map(\.node.id) == [Self.id(1), Self.id(2), Self.id(3)])
        #expect(now.items[2].reasons == [.expansion(from: Self.id(1), path: [ab, bc], hops: 2)])
        #expect(now.items[2].score == now.items[0].score / 3)
        // Before the closing time, the closed edge and node are followed.
        let early = try run(RecallExpansion(hops: 2, edgeLabels: ["knows"]), at: .at(50))
        #expect(Set(early.items.map(\.node.id)) == Set([1, 2, 3, 5, 6].map { Self.id(UInt64($0)) }))
        let any = try run(RecallExpansion(hops: 1), at: .at(1_000))
        #expect(any.items.map(\.node.id) == [Self.id(1), Self.id(2), Self.id(4)])
        let capped = try run(RecallExpansion(hops: 2, perHit: 1), at: .any)
        #expect(capped.items.count == 2)
    }

    @Test func badRequestsAreRefusedByName() {
        let cases: [(RecallRequest, String)] = [
            (RecallRequest(), "give text, a vector, or both"),
            (RecallRequest(text: ""), "the text is empty"),
            (RecallRequest(text: "a", budget: .tokens(0)), "the budget must be positive, not 0"),
            (RecallRequest(text: "a", candidatesPerLane: 0), "candidates per lane must be 1 to 10000, not 0"),
            (RecallRequest(text: "a", expansion: RecallExpansion(hops: 9)), "expansion hops must be 1 to 5, not 9"),
            (RecallRequest(vector: .init([.nan], model: "m")), "the query vector has a NaN or infinite component"),
            (RecallRequest(text: "a", fusionK: -1), "the fusion constant must be 1 to 1000000, not -1"),
        ]
        for (request, reason) in cases {
            #expect(throws: GraphError.invalidRecall(reason)) { try request.validate() }
        }
    }
}
