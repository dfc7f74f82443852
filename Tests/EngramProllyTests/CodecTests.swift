import EngramIPLD
import EngramStorage
import Testing
@testable import EngramProlly

@Suite struct CodecTests {
    @Test func emptyMapIsTheEmptyLeaf() throws {
        let (storage, store) = makeStorage()
        let tree = try ProllyTree.empty(in: storage)
        #expect(NodeCodec.emptyLeaf == (try DAGCBOR.encode(.map(["k": .list([]), "l": 0, "v": .list([])]))))
        #expect(store.has(tree.root))
        #expect(try tree.count() == 0)
        #expect(try tree.get([1]) == nil)
        #expect(try tree.collect().isEmpty)
    }

    @Test func leafAndBranchMatchTheGenericEncoder() throws {
        let link = CID(hashing: [1, 2, 3])
        let leaf = NodeCodec.encodeLeaf(keys: [[1], [2, 3], [4]], values: [.null, .bytes([9, 9]), .link(link)])
        let expectedLeaf = try DAGCBOR.encode(.map([
            "k": .list([.bytes([1]), .bytes([2, 3]), .bytes([4])]),
            "l": 0,
            "v": .list([.null, .bytes([9, 9]), .link(link)]),
        ]))
        #expect(leaf == expectedLeaf)
        let branch = NodeCodec.encodeBranch(level: 2, keys: [[1], [5]], children: [link, link], counts: [3, 300])
        let expectedBranch = try DAGCBOR.encode(.map([
            "c": .list([.link(link), .link(link)]),
            "k": .list([.bytes([1]), .bytes([5])]),
            "l": 2,
            "n": .list([3, 300]),
        ]))
        #expect(branch == expectedBranch)
        let node = try NodeCodec.decode(branch, cid: CID(hashing: branch))
        #expect(node.level == 2 && node.counts == [3, 300] && node.entryCount == 303 && node.children == [link, link])
        let decodedLeaf = try NodeCodec.decode(leaf, cid: CID(hashing: leaf))
        #expect(decodedLeaf.values == [.null, .bytes([9, 9]), .link(link)])
    }

    @Test(arguments: [
        ("keys out of order", IPLD.map(["k": .list([.bytes([2]), .bytes([1])]), "l": 0, "v": .list([.null, .null])])),
        ("duplicate keys", .map(["k": .list([.bytes([2]), .bytes([2])]), "l": 0, "v": .list([.null, .null])])),
        ("values missing", .map(["k": .list([.bytes([1])]), "l": 0, "v": .list([])])),
        ("leaf at level 1", .map(["k": .list([]), "l": 1, "v": .list([])])),
        ("wrong field", .map(["k": .list([]), "l": 0, "x": .list([])])),
        ("text key", .map(["k": .list([.string("a")]), "l": 0, "v": .list([.null])])),
        ("value of another type", .map(["k": .list([.bytes([1])]), "l": 0, "v": .list([5])])),
        ("branch at level 0", .map(["c": .list([]), "k": .list([]), "l": 0, "n": .list([])])),
        ("empty branch", .map(["c": .list([]), "k": .list([]), "l": 1, "n": .list([])])),
        ("zero count", .map(["c": .list([.link(CID(hashing: [1]))]), "k": .list([.bytes([1])]), "l": 1, "n": .list([0])])),
        ("level 16", .map(["c": .list([.link(CID(hashing: [1]))]), "k": .list([.bytes([1])]), "l": 16, "n": .list([1])])),
        ("key over 1 KiB", .map(["k": .list([.bytes(Array(repeating: 1, count: 1025))]), "l": 0, "v": .list([.null])])),
        ("value over 1 KiB", .map(["k": .list([.bytes([1])]), "l": 0, "v": .list([.bytes(Array(repeating: 1, count: 1025))])])),
    ])
    func rejectsMalformedNodes(_ name: String, _ value: IPLD) throws {
        let bytes = try DAGCBOR.encode(value)
        #expect(throws: ProllyError.self, "\(name)") { try NodeCodec.decode(bytes, cid: CID(hashing: bytes)) }
    }

    @Test func rejectsNonCanonicalCBOR() {
        // The empty leaf with the level written in two bytes (18 00) instead of one.
        let bytes: [UInt8] = [0xa3, 0x61, 0x6b, 0x80, 0x61, 0x6c, 0x18, 0x00, 0x61, 0x76, 0x80]
        #expect(throws: ProllyError.self) { try NodeCodec.decode(bytes, cid: CID(hashing: bytes)) }
        let trailing = NodeCodec.emptyLeaf + [0]
        #expect(throws: ProllyError.self) { try NodeCodec.decode(trailing, cid: CID(hashing: trailing)) }
    }

    @Test func encodedLengthIsTheChunkingWidth() throws {
        for value in [ProllyValue.null, .bytes([]), .bytes(Array(repeating: 7, count: 23)), .bytes(Array(repeating: 7, count: 24)),
                      .bytes(Array(repeating: 7, count: 300)), .link(CID(hashing: [1])), .link(CID(hashing: [1], function: .blake2b_256))] {
            var writer = DAGCBORWriter()
            value.write(to: &writer)
            #expect(writer.bytes.count == value.encodedLength)
        }
    }
}
