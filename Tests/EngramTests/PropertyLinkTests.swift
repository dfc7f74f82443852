import Engram
import EngramIPLD
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// Issue 9 finding 8: a property value linking to a block the store does not hold is refused at
/// commit (transaction and stream, into an empty graph and not), naming the entity, the property
/// and the CID; nothing is published and `fsck` stays clean. Once the block is put, it commits.
struct PropertyLinkTests {
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }
    static let info = CommitInfo(author: "t", message: "links \u{e9}", time: 1)
    static let document = Block(bytes: Array("a document \u{0} caf\u{e9}".utf8), codec: .raw)
    /// A property name in NFD with a NUL, so the error must name it byte for byte.
    static let name = "doc\u{0}Cafe\u{301}"

    /// Property values with the absent link at several depths.
    static let values: [IPLD] = [
        .link(document.cid),
        .list([.int(1), .link(document.cid)]),
        .map(IPLDMap(uniqueKeysWithValues: [("inner", .list([.map(IPLDMap(uniqueKeysWithValues: [("l", .link(document.cid))]))]))])),
    ]

    static func withRepository(_ body: (Repository, FileBlockStore) throws -> Void) throws {
        let dir = TestDirectory.path("engram-links")
        defer { TestDirectory.remove(dir) }
        let repo = try Repository.create(at: dir)
        let store = try #require(repo.store as? FileBlockStore)
        try body(repo, store)
        try store.close()
    }

    static func expectRefused(_ entity: EntityID, _ body: () throws -> CID) {
        #expect(throws: GraphError.missingLinkedBlock(entity: entity, property: name, cid: document.cid)) { _ = try body() }
    }

    @Test(arguments: values.indices)
    func transactionsLinkingToAbsentBlocksAreRefused(_ i: Int) throws {
        try Self.withRepository { repo, store in
            var tx = try repo.transaction()
            tx.addNode(label: "Doc", props: [Self.name: Self.values[i]], id: Self.id(1))
            Self.expectRefused(Self.id(1)) { try repo.commit(tx, Self.info) }
            #expect(try repo.head() == nil, "nothing published")
            // An edge's properties too, over a graph that has its endpoints.
            var base = try repo.transaction()
            base.addNode(label: "A", id: Self.id(2))
            _ = try repo.commit(base, Self.info)
            var edge = try repo.transaction()
            edge.addEdge(from: Self.id(2), "cites", to: Self.id(2), props: ["k": 1, Self.name: Self.values[i]], id: Self.id(3))
            let head = try repo.head()
            Self.expectRefused(Self.id(3)) { try repo.commit(edge, Self.info) }
            #expect(try repo.head() == head)
            #expect(try store.fsck().isClean)
            // Stored, the same link commits and fsck walks it.
            try store.put(Self.document)
            let cid = try repo.commit(tx, Self.info)
            #expect(try repo.snapshot(cid).node(Self.id(1))?.props[Self.name] == Self.values[i])
            _ = try repo.commit(edge, Self.info)
            #expect(try store.fsck().isClean)
        }
    }

    @Test func streamsLinkingToAbsentBlocksAreRefused() throws {
        try Self.withRepository { repo, store in
            let bad = Node(id: Self.id(9), label: "Doc", props: [Self.name: Self.values[2]])
            for round in 0..<2 {
                // Round 0 goes into an empty graph (bulk load), round 1 into a graph with a node.
                var ops: [ChangeOp] = [.putNode(Node(id: Self.id(1), label: "A")), .putNode(bad)]
                let head = try repo.head()
                Self.expectRefused(Self.id(9)) { try repo.commitStream(Self.info) { () throws(GraphError) in ops.isEmpty ? nil : ops.removeFirst() } }
                #expect(try repo.head() == head, "round \(round): nothing published")
                #expect(try store.fsck().isClean)
                var good: [ChangeOp] = [.putNode(Node(id: Self.id(UInt64(10 + round)), label: "B"))]
                _ = try repo.commitStream(Self.info) { () throws(GraphError) in good.isEmpty ? nil : good.removeFirst() }
            }
            try store.put(Self.document)
            var ops: [ChangeOp] = [.putNode(bad)]
            let cid = try repo.commitStream(Self.info) { () throws(GraphError) in ops.isEmpty ? nil : ops.removeFirst() }
            #expect(try repo.snapshot(cid).node(Self.id(9)) == bad)
            #expect(try store.fsck().isClean)
        }
    }
}
