import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Engram's own golden vectors (Fixtures/ipld/golden-values.json), independently checked with
/// Python libipld and dag-cbor by Benchmarks/scripts/check_golden.py.
struct GoldenVectorTests {
    struct Vector {
        let name: String, json: String, cbor: [UInt8], sha256: String, blake2b: String, jsonCID: String
    }

    static func vectors() throws -> [Vector] {
        let doc = try TestFixtures.json(TestFixtures.project.appendingPathComponent("ipld/golden-values.json")) as! [String: Any]
        return (doc["vectors"] as! [[String: String]]).map {
            Vector(name: $0["name"]!, json: $0["dag_json"]!, cbor: unhex($0["dag_cbor_hex"]!),
                   sha256: $0["cid_sha2_256"]!, blake2b: $0["cid_blake2b_256"]!, jsonCID: $0["dag_json_cid_sha2_256"]!)
        }
    }

    @Test func vectorsHold() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 7)
        for v in vectors {
            let value = try DAGJSON.decode(v.json)
            #expect(try DAGCBOR.encode(value) == v.cbor, "\(v.name)")
            #expect(try DAGCBOR.decode(v.cbor) == value, "\(v.name)")
            #expect(try DAGJSON.encodeString(value) == v.json, "\(v.name)")
            #expect(CID(hashing: v.cbor, codec: .dagCBOR).description == v.sha256, "\(v.name)")
            #expect(CID(hashing: v.cbor, codec: .dagCBOR, function: .blake2b_256).description == v.blake2b, "\(v.name)")
            #expect(CID(hashing: Array(v.json.utf8), codec: .dagJSON).description == v.jsonCID, "\(v.name)")
        }
    }

    @Test func emptyMapHasTheWellKnownCID() throws {
        #expect(try Block.emptyMapCID == CID(string: "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua"))
    }
}

enum Block {
    static var emptyMapCID: CID { get throws { CID(hashing: try DAGCBOR.encode(.map([:]))) } }
}
