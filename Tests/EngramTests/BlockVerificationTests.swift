import Engram
import EngramIPLD
import EngramProlly
import EngramStore
import EngramTestSupport
import Foundation
import Testing

/// Graph reads check that a block's bytes hash to its CID: a block whose bytes were replaced on
/// disk, with the record's CRC32C recomputed so the store's own check passes, is refused by
/// node, edge, commit and tree reads, never decoded and served.
struct BlockVerificationTests {
    static let info = CommitInfo(author: "v", message: "hello", time: 7)

    /// A file repository with one node and one edge, closed; its directory and the objects.
    static func repository() throws -> (dir: String, node: Node, edge: Edge, head: CID) {
        let dir = TestDirectory.path("engram-verify")
        let repo = try Repository(store: FileBlockStore.create(at: dir))  // the store directory itself (files are damaged below)
        var tx = try repo.transaction()
        let node = Node(id: RepositoryTests.id(1), label: "Person", props: ["name": "alice"])
        let edge = Edge(id: RepositoryTests.id(2), src: node.id, label: "knows", dst: node.id, props: ["since": "2020"])
        tx.putNode(node)
        tx.putEdge(edge)
        let head = try repo.commit(tx, info)
        try (repo.store as! FileBlockStore).close()
        return (dir, node, edge, head)
    }

    /// Replaces the canonical bytes of the block record of `cid` (stored raw) with `new`, of the
    /// same length, and recomputes the record's CRC32C (`length u32 | kind | CID | encoding |
    /// raw length u32 | payload | crc u32`, SPEC 4).
    static func replace(_ cid: CID, _ old: [UInt8], with new: [UInt8], under dir: String) throws {
        precondition(old.count == new.count && old != new)
        let header = cid.bytes + [0] + withUnsafeBytes(of: UInt32(old.count).littleEndian, Array.init)
        var hits = 0
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir)
        for file in files {
            let path = dir + "/" + file
            guard var data = FileManager.default.contents(atPath: path).map(Array.init) else { continue }
            let needle = header + old
            var at = 0
            while let found = firstIndex(of: needle, in: data, from: at) {
                let start = found - 5
                let end = found + needle.count
                #expect(data[start + 4] == 1, "a block record")
                #expect(Int(UInt32(data[start]) | UInt32(data[start + 1]) << 8 | UInt32(data[start + 2]) << 16 | UInt32(data[start + 3]) << 24) == end - start - 5)
                data.replaceSubrange((end - new.count)..<end, with: new)
                let crc = data[start..<end].withUnsafeBytes { CRC32C.checksum($0) }
                data.replaceSubrange(end..<(end + 4), with: withUnsafeBytes(of: crc.littleEndian, Array.init))
                hits += 1
                at = end
            }
            if hits > 0 { try Data(data).write(to: URL(fileURLWithPath: path)) }
        }
        #expect(hits == 1, "one raw record of \(cid)")
    }

    static func firstIndex(of needle: [UInt8], in data: [UInt8], from: Int) -> Int? {
        guard data.count >= needle.count else { return nil }
        var i = from
        while i <= data.count - needle.count {
            if data[i] == needle[0] && data[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    @Test func replacedNodeBytesAreRefusedNotServed() throws {
        let (dir, node, _, head) = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = try node.encode()
        var forged = node
        forged.props = ["name": "mallo"]
        let new = try forged.encode()
        let cid = CID(hashing: old, codec: .dagCBOR, function: .sha2_256)
        try Self.replace(cid, old, with: new, under: dir)
        let repo = try Repository.open(at: dir)
        // The store's CRC passes: it hands back the forged bytes, which decode as a node.
        #expect(try repo.store.get(cid) == new)
        #expect(try Node.decode(new) == forged)
        let snapshot = try repo.snapshot(head)
        #expect(throws: GraphError.corruptBlock(cid, reason: "bytes do not hash to the CID")) { try snapshot.node(node.id) }
        #expect(throws: GraphError.corruptBlock(cid, reason: "bytes do not hash to the CID")) { try snapshot.forEachNode { _ in } }
        // Other objects still read.
        #expect(try snapshot.edge(RepositoryTests.id(2))?.label == "knows")
    }

    @Test func replacedEdgeAndCommitBytesAreRefused() throws {
        let (dir, _, edge, head) = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var forged = edge
        forged.props = ["since": "1999"]
        let edgeCID = CID(hashing: try edge.encode(), codec: .dagCBOR, function: .sha2_256)
        try Self.replace(edgeCID, try edge.encode(), with: try forged.encode(), under: dir)
        var repo = try Repository.open(at: dir)
        #expect(throws: GraphError.corruptBlock(edgeCID, reason: "bytes do not hash to the CID")) { try repo.snapshot(head).edge(edge.id) }
        let commit = try repo.commit(head)
        try (repo.store as! FileBlockStore).close()
        var other = commit
        other.message = "jello"
        try Self.replace(head, try commit.encode(), with: try other.encode(), under: dir)
        repo = try Repository.open(at: dir)
        #expect(throws: GraphError.corruptBlock(head, reason: "bytes do not hash to the CID")) { try repo.snapshot(head) }
        #expect(throws: GraphError.corruptBlock(head, reason: "bytes do not hash to the CID")) { try repo.log(from: head) }
    }

    /// A tree node replaced on disk: the tree read refuses it, naming its CID.
    @Test func replacedTreeNodeBytesAreRefused() throws {
        let (dir, node, _, head) = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try Repository.open(at: dir)
        let root = try before.snapshot(head).nodes.root
        let old = try #require(try before.store.get(root))
        try (before.store as! FileBlockStore).close()
        var new = old
        new[new.count - 1] ^= 0x01  // the last byte of the node's CID link digest
        try Self.replace(root, old, with: new, under: dir)
        let repo = try Repository.open(at: dir)
        #expect(throws: GraphError.tree(.corruptNode(root, reason: "bytes do not hash to the CID"))) { try repo.snapshot(head).node(node.id) }
        #expect(throws: ProllyError.corruptNode(root, reason: "bytes do not hash to the CID")) { try repo.snapshot(head).nodes.storage.bytes(root) }
    }
}
