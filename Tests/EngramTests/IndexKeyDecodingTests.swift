import EngramIPLD
import EngramProlly
import EngramStore
import Testing
@testable import Engram

/// Index keys come from trees in the store, so a key too short for the ids it must end with
/// (a block put by hand) is `invalidObject`, from the key decoders and from the query scans.
@Suite struct IndexKeyDecodingTests {
    static let id = EntityID(high: 0x0123_4567_89ab_7def, low: 0x8123_4567_89ab_cdef)

    @Test func shortLabelsAndPropsKeysAreRejected() throws {
        for length in [0, 1, 15] {
            let key = [UInt8](repeating: 0xff, count: length)
            #expect(throws: GraphError.self) { try IndexKeys.trailingID(key) }
        }
        // Exactly an id, and a full labels key with non-ASCII, NUL-containing text, decode.
        #expect(try IndexKeys.trailingID(Self.id.bytes) == Self.id)
        #expect(try IndexKeys.trailingID(IndexKeys.label("Pérson\u{0}x", node: Self.id)) == Self.id)
    }

    @Test func shortAdjacencyKeysAreRejected() throws {
        for length in [0, 16, 31, 32, 47, 48] {
            let key = [UInt8](repeating: 0x41, count: length)
            #expect(throws: GraphError.self) { try IndexKeys.decodeAdjacency(key) }
        }
        let other = EntityID(high: 1, low: 2), edge = EntityID(high: 3, low: 4)
        let decoded = try IndexKeys.decodeAdjacency(IndexKeys.adjacency(Self.id, label: "knöws\u{0}", other, edge: edge))
        #expect(decoded.label == "knöws\u{0}" && decoded.other == other && decoded.edge == edge)
    }

    /// A labels tree holding a 2-byte key and an out tree holding a 40-byte key: the scans over
    /// them throw on that entry rather than trap.
    @Test func queryScansReportShortKeys() throws {
        let storage = ProllyStorage(blocks: MemoryBlockStore())
        let good = IndexKeys.label("a", node: Self.id)
        let labels = try ProllyTree.build(sorted: [ProllyEntry(key: [0x61, 0x00], value: .null), ProllyEntry(key: good, value: .null)]
            .sorted { KeyOrder.less($0.key, $1.key) }, in: storage)
        var ids = NodeIDScan(try labels.entries())
        #expect(throws: GraphError.self) { while try ids.next() != nil {} }
        let out = try ProllyTree.build(sorted: [ProllyEntry(key: Self.id.bytes + [0x72, 0x00] + [UInt8](repeating: 7, count: 22), value: .null)], in: storage)
        var neighbors = NeighborScan(entries: try out.entries())
        #expect(throws: GraphError.self) { _ = try neighbors.next() }
    }

    /// A clock set before 1970 gives UUIDv7 time 0 (no trap); ids made then still differ.
    @Test func uuidV7BeforeTheEpochClampsToZero() {
        #expect(EntityID.milliseconds(fromMicroseconds: -1) == 0)
        #expect(EntityID.milliseconds(fromMicroseconds: .min) == 0)
        #expect(EntityID.milliseconds(fromMicroseconds: -999) == 0)
        #expect(EntityID.milliseconds(fromMicroseconds: 1_700_000_000_123_456) == 1_700_000_000_123)
        let early = EntityID.uuidV7(milliseconds: EntityID.milliseconds(fromMicroseconds: -86_400_000_000))
        #expect(early.high >> 16 == 0 && (early.high >> 12) & 0xf == 7 && early.low >> 62 == 0b10)
        #expect(early != EntityID.uuidV7(milliseconds: 0))
    }
}
