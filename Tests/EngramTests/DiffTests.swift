import Engram
import EngramIPLD
import EngramStore
import Testing

struct DiffTests {
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    @Test func diffListsAddedRemovedAndChangedWithFields() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        tx.addNode(label: "P", props: ["a": 1, "b": 2], id: Self.id(1))
        tx.addNode(label: "P", id: Self.id(2))
        tx.addEdge(from: Self.id(1), "r", to: Self.id(2), props: ["w": 1], id: Self.id(10))
        let c1 = try repo.commit(tx, RepositoryTests.info())
        tx = try repo.transaction()
        try tx.updateNode(Self.id(1), label: "Q", props: .patch(["a": 5, "b": nil, "c": true]))
        try tx.removeNode(Self.id(2))
        tx.addNode(label: "P", id: Self.id(3))
        tx.addEdge(from: Self.id(1), "r", to: Self.id(3), id: Self.id(11))
        let c2 = try repo.commit(tx, RepositoryTests.info())
        let d = try repo.diff(c1, c2)
        let before = try repo.snapshot(c1)
        let n1old = try before.node(Self.id(1))!, n2 = try before.node(Self.id(2))!
        let n1new = Node(id: Self.id(1), label: "Q", props: ["a": 5, "c": true])
        #expect(d.nodes == [
            .changed(old: n1old, new: n1new, fields: [
                FieldChange(field: .label, old: "P", new: "Q"),
                FieldChange(field: .prop("a"), old: 1, new: 5),
                FieldChange(field: .prop("b"), old: 2, new: nil),
                FieldChange(field: .prop("c"), old: nil, new: true),
            ]),
            .removed(n2),
            .added(Node(id: Self.id(3), label: "P")),
        ])
        #expect(d.edges.count == 2)
        #expect(d.edges.contains(.removed(try before.edge(Self.id(10))!)))
        #expect(try repo.diff(c2, c2).isEmpty)
        // The reverse diff swaps added and removed.
        let back = try repo.diff(c2, c1)
        #expect(back.nodes.contains(.added(n2)))
        #expect(back.nodes.contains(.removed(Node(id: Self.id(3), label: "P"))))
        let json = GraphJSON.text(GraphJSON.value(d))
        #expect(json.contains("\"field\":\"props.b\""))
        #expect(try DAGJSON.decode(json)["nodes"]?["removed"]?[0]?["id"] == .string(Self.id(2).description))
    }

    @Test func propertyQueriesRecheckLongValues() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let long = String(repeating: "x", count: 100)
        tx.addNode(label: "P", props: ["s": .string(long + "a")], id: Self.id(1))
        tx.addNode(label: "P", props: ["s": .string(long + "b")], id: Self.id(2))
        tx.addNode(label: "P", props: ["s": ["list"]], id: Self.id(3))
        let s = try repo.snapshot(try repo.commit(tx, RepositoryTests.info()))
        var hits = try s.nodes(label: "P", where: "s", equals: .string(long + "b"))
        #expect(try hits.collect() == [Self.id(2)])
        #expect(try s.count(label: "P", where: "s", equals: .string(long + "a")) == 1)
        var lists = try s.nodes(label: "P", where: "s", equals: ["list"])
        #expect(try lists.collect() == [Self.id(3)])
    }

    @Test func traversalFollowsHopsWithLimits() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        for i in 1...6 { tx.addNode(label: "N", id: Self.id(UInt64(i))) }
        // 1 -> 2 -> 3 -> 4, 1 -> 5, 6 -> 1 (an in-edge).
        for (n, (a, b)) in [(1, 2), (2, 3), (3, 4), (1, 5), (6, 1)].enumerated() {
            tx.addEdge(from: Self.id(UInt64(a)), "e", to: Self.id(UInt64(b)), id: Self.id(UInt64(100 + n)))
        }
        let s = try repo.snapshot(try repo.commit(tx, RepositoryTests.info()))
        var two = s.traverse(from: Self.id(1), .out, maxDepth: 2)
        let reached = try two.collect()
        #expect(reached.map(\.node) == [Self.id(1), Self.id(2), Self.id(5), Self.id(3)])
        #expect(reached.map(\.depth) == [0, 1, 1, 2])
        var both = s.traverse(from: Self.id(1), .both, maxDepth: 1)
        #expect(Set(try both.collect().map(\.node)) == [Self.id(1), Self.id(2), Self.id(5), Self.id(6)])
        var limited = s.traverse(from: Self.id(1), .out, maxDepth: 10, limit: 3)
        #expect(try limited.collect().count == 3)
        #expect(try s.degree(Self.id(1), .out) == 2)
        #expect(try s.degree(Self.id(1), .in, label: "e") == 1)
        #expect(try s.degree(Self.id(1), .in, label: "other") == 0)
    }
}
