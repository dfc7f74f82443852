import Engram
import EngramIPLD
import EngramTestSupport
import PropertyBased
import Testing

struct ObjectCodecTests {
    static let cid = CID(hashing: [1, 2, 3])
    static let id = EntityID(high: 0x0123_4567_89ab_7def, low: 0x8123_4567_89ab_cdef)

    @Test func nodeBytesAreCanonicalDAGCBOR() throws {
        let node = Node(id: Self.id, label: "Person", props: ["name": "ann", "age": 30])
        let bytes = try node.encode()
        // The generic encoder over the same map gives the same bytes.
        let generic: IPLD = ["id": .bytes(Self.id.bytes), "_kind": "node", "label": "Person", "props": ["name": "ann", "age": 30]]
        #expect(bytes == (try DAGCBOR.encode(generic)))
        #expect(try Node.decode(bytes) == node)
    }

    @Test func edgeCommitAndIndexSetRoundTrip() throws {
        let edge = Edge(id: Self.id, src: EntityID(high: 1, low: 2), label: "knows", dst: EntityID(high: 3, low: 4), props: ["w": 1.5])
        let eb = try edge.encode()
        #expect(eb == (try DAGCBOR.encode(["id": .bytes(Self.id.bytes), "dst": .bytes(EntityID(high: 3, low: 4).bytes),
                                           "src": .bytes(EntityID(high: 1, low: 2).bytes), "_kind": "edge", "label": "knows",
                                           "props": ["w": 1.5]])))
        #expect(try Edge.decode(eb) == edge)
        let commit = Commit(parents: [Self.cid], nodes: Self.cid, edges: Self.cid, indexes: Self.cid, author: "a", time: -5,
                            message: "m", agent: "bot", signature: .bytes([9]))
        let cb = try commit.encode()
        #expect(cb == (try DAGCBOR.encode(["time": -5, "_kind": "commit", "agent": "bot", "edges": .link(Self.cid),
                                           "nodes": .link(Self.cid), "author": "a", "indexes": .link(Self.cid), "message": "m",
                                           "parents": [.link(Self.cid)], "signature": .bytes([9])])))
        #expect(try Commit.decode(cb) == commit)
        let set = IndexSet(labels: Self.cid, props: Self.cid, out: Self.cid, in: Self.cid)
        #expect(try IndexSet.decode(set.encode()) == set)
    }

    /// Keys a newer writer added survive a decode and re-encode byte for byte.
    @Test func unknownKeysAreKeptByteForByte() async {
        await propertyCheck(count: 200, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let extraKey = ["a", "zz", "_x", "labels2", "extra_field_name"][Int(rng.next() % 5)]
            var map: IPLDMap = ["id": .bytes(Self.id.bytes), "_kind": "node", "label": "L", "props": ["k": .int(Int64(rng.next() % 100))]]
            map[extraKey] = RandomIPLD.value(&rng, depth: 2)
            let bytes = try DAGCBOR.encode(.map(map))
            let node = try Node.decode(bytes)
            #expect(node.unknown.map(\.key) == [extraKey])
            #expect(try node.encode() == bytes, "seed \(seed)")
        }
    }

    /// Unknown keys that are equal as Swift Strings but not as bytes (NFC "é" and NFD "e\u{301}")
    /// are two fields, both kept.
    @Test func canonicallyEquivalentUnknownKeysAreDistinct() throws {
        let unknown = [UnknownField(key: "\u{e9}", value: [0x01]), UnknownField(key: "e\u{301}", value: [0x02])]
        let node = Node(id: Self.id, label: "P", unknown: unknown)
        let decoded = try Node.decode(try node.encode())
        #expect(decoded.unknown == unknown)
        #expect(try decoded.encode() == (try node.encode()))
    }

    @Test func malformedObjectsAreTypedErrors() throws {
        let missing = try DAGCBOR.encode(["id": .bytes(Self.id.bytes), "_kind": "node", "label": "L"])
        #expect(throws: GraphError.self) { try Node.decode(missing) }
        let wrongKind = try DAGCBOR.encode(["id": .bytes(Self.id.bytes), "_kind": "edge", "label": "L", "props": [:]])
        do {
            _ = try Node.decode(wrongKind, cid: Self.cid)
            Issue.record("a node with _kind edge decoded")
        } catch {
            guard case .invalidObject("node", Self.cid, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.description.contains("_kind"))
        }
        let shortID = try DAGCBOR.encode(["id": .bytes([1, 2]), "_kind": "node", "label": "L", "props": [:]])
        #expect(throws: GraphError.self) { try Node.decode(shortID) }
        // Keys out of canonical order: "label" before "_kind".
        var w = DAGCBORWriter()
        w.beginMap(count: 4)
        w.writeString("id"); w.writeBytes(Self.id.bytes)
        w.writeString("label"); w.writeString("L")
        w.writeString("_kind"); w.writeString("node")
        w.writeString("props"); w.beginMap(count: 0)
        #expect(throws: GraphError.self) { try Node.decode(w.bytes) }
        #expect(throws: GraphError.self) { try Commit.decode([0xa0]) }
        // A decoder error stays whole as the reason's cause.
        do {
            _ = try Node.decode(w.bytes, cid: Self.cid)
        } catch {
            guard case .invalidObject("node", Self.cid, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.cause is DAGCBORError, "\(String(describing: reason.cause))")
            #expect(reason.description == reason.cause.map { "\($0)" })
        }
    }

    @Test func idsParseAndPrint() throws {
        let text = "01234567-89ab-7def-8123-456789abcdef"
        #expect(EntityID(text) == Self.id)
        #expect(Self.id.description == text)
        #expect(EntityID("0123456789ab7def8123456789abcdef") == Self.id)
        #expect(EntityID("0123456789ab-7def-8123-456789abcdef") == nil)
        #expect(EntityID("xyz") == nil)
        let v7 = EntityID.uuidV7(milliseconds: 0x0190_0000_0000)
        #expect(v7.high >> 16 == 0x0190_0000_0000)
        #expect((v7.high >> 12) & 0xf == 7)
        #expect(v7.low >> 62 == 0b10)
        #expect(EntityID.uuidV7() != EntityID.uuidV7())
    }
}
