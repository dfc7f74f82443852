import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import Testing

/// Labels and property names too long for an index key, in a load into an empty graph: the same
/// typed error as a transaction (once a trap on a 64 KiB name), and only final versions count.
struct StreamLimitTests {
    static let info = CommitInfo(author: "s", message: "limits", time: 3)
    static func id(_ n: UInt64) -> EntityID { RepositoryTests.id(n) }

    /// 80,000 bytes of NFD text with a NUL: over the 1,024-byte key limit and over 16 bits.
    static let long = String(repeating: "e\u{301}", count: 26_666) + "\u{0}x"

    static func streamed(_ ops: [ChangeOp]) -> (Repository, Result<CID, GraphError>) {
        let repo = try! Repository(store: MemoryBlockStore())
        var it = ops.makeIterator()
        return (repo, Result { () throws(GraphError) -> CID in try repo.commitStream(Self.info) { () throws(GraphError) in it.next() } })
    }

    static func transacted(_ ops: [ChangeOp]) -> (Repository, Result<CID, GraphError>) {
        let repo = try! Repository(store: MemoryBlockStore())
        var changes = ChangeSet()
        for op in ops { changes.apply(op) }
        return (repo, Result { () throws(GraphError) -> CID in try repo.commit(changes, Self.info) })
    }

    @Test func longLabelsAndNamesFailAsInATransaction() throws {
        #expect(Self.long.utf8.count > 65_536)
        let a = Self.id(1), b = Self.id(2)
        let cases: [[ChangeOp]] = [
            [.putNode(Node(id: a, label: Self.long, props: ["v": 1]))],
            [.putNode(Node(id: a, label: "N", props: [Self.long: 1]))],
            [.putNode(Node(id: a, label: "N", props: ["v": .string(Self.long)])), .putNode(Node(id: b, label: "N", props: [Self.long: "x"]))],
            [.putNode(Node(id: a, label: "N")), .putEdge(Edge(id: b, src: a, label: Self.long, dst: a))],
        ]
        for ops in cases {
            let (repo, streamed) = Self.streamed(ops)
            let (_, transacted) = Self.transacted(ops)
            guard case .failure(let error) = streamed, case .tree(.keyTooLong(let key, let length)) = error else {
                Issue.record("\(streamed)")
                continue
            }
            #expect(length == key.count && length > ProllyLimits.maxKeyLength)
            #expect(transacted == .failure(error), "the same error as a transaction")
            #expect(try repo.head() == nil, "nothing published")
        }
    }

    /// A long name in a version the stream replaces later is no error, as in a transaction.
    @Test func replacedLongNamesDoNotCount() throws {
        let ops: [ChangeOp] = [
            .putNode(Node(id: Self.id(1), label: "N", props: [Self.long: 1])),
            .putNode(Node(id: Self.id(2), label: Self.long, props: ["v": 1])),
            .putNode(Node(id: Self.id(1), label: "N", props: ["v": 2])),
            .deleteNode(Self.id(2)),
        ]
        let (repo, streamed) = Self.streamed(ops)
        let (other, transacted) = Self.transacted(ops)
        let s = try repo.snapshot(try streamed.get()), t = try other.snapshot(try transacted.get())
        #expect(try s.node(Self.id(1))?.props == ["v": 2])
        #expect(try s.nodeCount() == 1)
        #expect(s.nodes.root == t.nodes.root && s.index == t.index)
    }
}
