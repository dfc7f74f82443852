import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Testing

/// ``Repository/revert(_:on:_:)`` against the reference model: reverting the newest commit gives
/// its parent's graph; reverting an older one undoes only its own changes; a later change to
/// the same field is a conflict and changes nothing.
struct RevertTests {
    static let info = CommitInfo(author: "r", message: "revert", time: 7)
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func revertingTheNewestCommitRestoresItsParent(seed: UInt64) throws {
        var rng = RNG(seed: seed)
        let repo = try Repository(store: MemoryBlockStore())
        var model = ReferenceGraph()
        var models: [CID: ReferenceGraph] = [:]
        var commits: [CID] = []
        for _ in 0..<8 {
            var tx = try repo.transaction()
            try RandomChanges.transaction(&rng, &tx, &model)
            let cid = try repo.commit(tx, Self.info)
            models[cid] = model
            commits.append(cid)
        }
        let reverted = try repo.revert(commits[7], Self.info)
        try models[commits[6]]?.check(try repo.snapshot(reverted), "revert of the newest commit, seed \(seed)")
        #expect(try repo.commit(reverted).parents == [commits[7]])
    }

    @Test func revertingAnOlderCommitKeepsLaterChanges() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "N", props: ["a": 1, "name": "Zoë"], id: Self.id(1))
        _ = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        tx.addNode(label: "N", props: ["name": "Zoe\u{0308}"], id: Self.id(2))  // NFD: another value
        try tx.updateNode(Self.id(1), props: .patch(["a": 2]))
        let older = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), props: .patch(["b": 5]))
        _ = try repo.commit(tx, Self.info)
        let state = try repo.snapshot(try repo.revert(older, Self.info))
        #expect(try state.node(Self.id(2)) == nil)
        #expect(try state.node(Self.id(1))?.props == ["a": 1, "name": "Zoë", "b": 5])
    }

    @Test func aLaterChangeToTheSameFieldIsAConflictAndNothingChanges() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "N", props: ["a": 1], id: Self.id(1))
        _ = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), props: .patch(["a": 2]))
        let older = try repo.commit(tx, Self.info)
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), props: .patch(["a": 3]))
        let head = try repo.commit(tx, Self.info)
        let expected = MergeConflict(entity: .node(Self.id(1)), kind: .field(.prop("a"), base: 2, ours: 3, theirs: 1))
        #expect(throws: GraphError.commitConflict([expected])) { try repo.revert(older, Self.info) }
        #expect(try repo.head() == head)
    }
}

/// ``GraphSnapshot/schema(edgeScanLimit:)`` against counts computed from the reference model.
struct SchemaTests {
    @Test(arguments: [11, 12, 13] as [UInt64])
    func schemaMatchesTheModel(seed: UInt64) throws {
        var rng = RNG(seed: seed)
        let repo = try Repository(store: MemoryBlockStore())
        var model = ReferenceGraph()
        for _ in 0..<10 {
            var tx = try repo.transaction()
            try RandomChanges.transaction(&rng, &tx, &model, maxOps: 20)
            _ = try repo.commit(tx, RevertTests.info)
        }
        // NFC and NFD spellings of one label are two labels.
        var tx = try repo.transaction()
        tx.addNode(label: "Café", props: ["x": 1])
        tx.addNode(label: "Cafe\u{0301}", props: ["x": 2, "y": .list([1])])
        model.nodes[EntityID(high: 1, low: 1)] = Node(id: EntityID(high: 1, low: 1), label: "Café", props: ["x": 1])
        model.nodes[EntityID(high: 1, low: 2)] = Node(id: EntityID(high: 1, low: 2), label: "Cafe\u{0301}", props: ["x": 2, "y": .list([1])])
        let schema = try repo.snapshot(try repo.commit(tx, RevertTests.info)).schema()

        var labels: [[UInt8]: (count: UInt64, props: [[UInt8]: UInt64])] = [:]
        for node in model.nodes.values {
            var entry = labels[Array(node.label.utf8)] ?? (0, [:])
            entry.count += 1
            for (name, value) in node.props where IndexKeys.keyValue(value) != nil { entry.props[Array(name.utf8), default: 0] += 1 }
            labels[Array(node.label.utf8)] = entry
        }
        #expect(schema.labels.map { Array($0.label.utf8) } == labels.keys.sorted { $0.lexicographicallyPrecedes($1) })
        for l in schema.labels {
            let expected = labels[Array(l.label.utf8)]
            #expect(l.count == expected?.count)
            #expect(Dictionary(uniqueKeysWithValues: l.properties.map { (Array($0.name.utf8), $0.count) }) == expected?.props)
        }
        var edgeLabels: [String: UInt64] = [:]
        for e in model.edges.values { edgeLabels[e.label, default: 0] += 1 }
        #expect(schema.edgeLabels.map { "\($0.label)=\($0.count)" } == edgeLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        #expect(schema.edgeLabelsComplete)
        if model.edges.count > 1 {
            let cut = try repo.snapshot(try repo.head()).schema(edgeScanLimit: 1)
            #expect(!cut.edgeLabelsComplete && cut.edgeLabels.map(\.count).reduce(0, +) == 1)
        }
    }
}
