import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import PropertyBased
import Testing

/// `commitStream`: a stream of changes applied in batches is one commit, whatever the batches.
struct StreamTests {
    static let info = CommitInfo(author: "s", message: "stream", time: 3)
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    /// A random stream over a small id space (so ids repeat, nodes go and come back). Most
    /// streams end with every node put again (so few edges dangle), one in eight does not.
    static func randomStream(_ seed: UInt64) -> [ChangeOp] {
        var rng = RNG(seed: seed)
        var ops: [ChangeOp] = []

        for _ in 0..<(20 + rng.next() % 60) {
            let a = Self.id(rng.next() % 12), b = Self.id(rng.next() % 12)
            switch rng.next() % 6 {
            case 0, 1: ops.append(.putNode(Node(id: a, label: ["A", "B"][Int(rng.next() % 2)], props: ["v": .int(Int64(rng.next() % 5))])))
            case 2: ops.append(.deleteNode(a))
            case 3, 4: ops.append(.putEdge(Edge(id: Self.id(100 + rng.next() % 20), src: a, label: "e", dst: b)))
            default: ops.append(.deleteEdge(Self.id(100 + rng.next() % 20)))
            }
        }
        if rng.next() % 8 != 0 { ops += closing(&rng) }
        return ops
    }

    /// Every node put again.
    static func closing(_ rng: inout RNG) -> [ChangeOp] {
        (0..<12).map { n in
            .putNode(Node(id: Self.id(UInt64(n)), label: ["A", "B"][Int(rng.next() % 2)], props: ["v": .int(Int64(rng.next() % 5))]))
        }
    }

    /// The stream replayed as one transaction (the reference semantics), or its error.
    static func asTransaction(_ ops: [ChangeOp], _ repo: Repository) -> Result<CID, GraphError> {
        Result { () throws(GraphError) -> CID in
            var tx = try repo.transaction()
            for op in ops {
                switch op {
                case .putNode(let n): tx.putNode(n)
                case .putEdge(let e): tx.putEdge(e)
                case .deleteNode(let n):
                    if try tx.node(n) != nil { try tx.removeNode(n) } else {
                        // A stream's delete also drops edges put to an absent node.
                        for case let (eid, e?) in tx.changes.edges where e.src == n || e.dst == n { try tx.removeEdge(eid) }
                    }
                case .deleteEdge(let e): if try tx.edge(e) != nil { try tx.removeEdge(e) }
                }
            }
            return try repo.commit(tx, Self.info)
        }
    }

    static func asStream(_ ops: [ChangeOp], _ repo: Repository, batch: Int) -> Result<CID, GraphError> {
        Result { () throws(GraphError) -> CID in
            var i = 0
            return try repo.commitStream(Self.info, batchSize: batch) { () throws(GraphError) -> ChangeOp? in
                defer { i += 1 }
                return i < ops.count ? ops[i] : nil
            }
        }
    }

    @Test func batchesDoNotChangeTheCommit() async {
        await propertyCheck(count: 150, input: Gen<UInt64>.uint64()) { seed in
            let ops = Self.randomStream(seed)
            let reference = Self.asTransaction(ops, try Repository(store: MemoryBlockStore()))
            for batch in [1, 3, 7, 1000] {
                let got = Self.asStream(ops, try Repository(store: MemoryBlockStore()), batch: batch)
                switch (reference, got) {
                case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed) batch \(batch)")
                case (.failure, .failure): break
                default: Issue.record("seed \(seed) batch \(batch): \(reference) vs \(got)")
                }
            }
        }
    }

    /// Over a non-empty graph (the batched path): the first half of the stream committed as a
    /// transaction, then the rest as a stream or as a transaction.
    @Test func batchesOverAnExistingGraphDoNotChangeTheCommit() async {
        await propertyCheck(count: 100, input: Gen<UInt64>.uint64()) { seed in
            let ops = Self.randomStream(seed)
            let half = ops.count / 2
            var results: [Result<CID, GraphError>] = []
            for batch in [0, 1, 4, 1000] {
                let repo = try Repository(store: MemoryBlockStore())
                var rng = RNG(seed: seed)
                let prefix = Array(ops[..<half]) + Self.closing(&rng)
                guard case .success = Self.asTransaction(prefix, repo) else { return }
                let rest = Array(ops[half...])
                results.append(batch == 0 ? Self.asTransaction(rest, repo) : Self.asStream(rest, repo, batch: batch))
            }
            guard results.count == 4 else { return }
            for r in results.dropFirst() {
                switch (results[0], r) {
                case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed)")
                case (.failure, .failure): break
                default: Issue.record("seed \(seed): \(results[0]) vs \(r)")
                }
            }
        }
    }

    /// A line that is not DAG-JSON is refused with the decoder's error kept as the reason's
    /// cause, and the message reads as the decoder's does.
    @Test func aChangeLineThatIsNotJSONKeepsTheDecodersError() throws {
        let line = Array(#"{"op":"put-node","label":"caf\u00e9 \u0000","props":{"a":"#.utf8)
        let decoderError: DAGJSONError
        do { _ = try DAGJSON.decode(line); Issue.record("broken JSON decoded"); return } catch { decoderError = error }
        do {
            _ = try ChangeOp.parse(line, line: 7)
            Issue.record("a broken line parsed")
        } catch {
            guard case .invalidChange(7, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.cause as? DAGJSONError == decoderError)
            #expect(reason.description == "\(decoderError)")
            #expect(error.description == "change on line 7: \(decoderError)")
        }
    }

    /// An error that is none of the library's (a custom backend's) stays whole under
    /// `StoreError.backend`'s reason.
    @Test func aForeignErrorIsKeptAsTheCauseOfABackendError() {
        struct Refused: Error, Equatable { var why: String }
        guard case .store(.backend(let reason)) = GraphError.wrapping(Refused(why: "n\u{E9}e")) else {
            Issue.record("not a backend error")
            return
        }
        #expect(reason.cause as? Refused == Refused(why: "n\u{E9}e"))
        #expect(reason == "\(Refused(why: "n\u{E9}e"))")
    }

    @Test func edgesMayComeBeforeTheirNodesButNotDangle() throws {
        let repo = try Repository(store: MemoryBlockStore())
        let ops: [ChangeOp] = [
            .putEdge(Edge(id: Self.id(9), src: Self.id(1), label: "e", dst: Self.id(2))),
            .putNode(Node(id: Self.id(1), label: "A")),
            .putNode(Node(id: Self.id(2), label: "A")),
        ]
        let cid = try Self.asStream(ops, repo, batch: 1).get()
        #expect(try repo.snapshot(cid).degree(Self.id(1), .out) == 1)
        let dangling: [ChangeOp] = [.putEdge(Edge(id: Self.id(10), src: Self.id(1), label: "e", dst: Self.id(3)))]
        #expect(throws: GraphError.danglingEdge(edge: Self.id(10), missingNode: Self.id(3))) {
            try Self.asStream(dangling, repo, batch: 2).get()
        }
        #expect(try repo.head() == cid)
    }

    /// A field an op does not take (a misspelt `"prop"`, an NFD spelling of a known name) is
    /// refused naming the field and the line, instead of being dropped; the known ones parse.
    @Test func changeLinesWithUnknownFieldsAreRefused() throws {
        let id = Self.id(1).description
        #expect(throws: GraphError.invalidChange(line: 3, reason: "unknown field \"prop\" (put-node takes op, id, label, props)")) {
            try ChangeOp.parse(Array(#"{"op":"put-node","label":"Note","prop":{"a":1}}"#.utf8), line: 3)
        }
        #expect(throws: GraphError.invalidChange(line: 1, reason: "unknown field \"lab\u{65}\u{301}l\" (put-edge takes op, id, src, label, dst, props)")) {
            try ChangeOp.parse(["op": "put-edge", "src": .string(id), "dst": .string(id), "label": "e", "lab\u{65}\u{301}l": "x"], line: 1)
        }
        #expect(throws: GraphError.self) { try ChangeOp.parse(["op": "delete-node", "id": .string(id), "props": [:]], line: 2) }
        let known: [IPLD] = [
            ["op": "put-node", "id": .string(id), "label": "N", "props": ["k": 1]],
            ["op": "delete-node", "id": .string(id)],
            ["op": "put-edge", "id": .string(id), "src": .string(id), "label": "e", "dst": .string(id), "props": [:]],
            ["op": "delete-edge", "id": .string(id)],
        ]
        for value in known { #expect(try ChangeOp.parse(value, line: 1).value == value) }
    }
}
