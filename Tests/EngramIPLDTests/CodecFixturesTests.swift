import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// ipld/codec-fixtures: every DAG-CBOR and DAG-JSON block decodes, re-encodes byte for byte,
/// hashes to the CID in its file name, and both codecs agree on the value.
@Suite(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
struct CodecFixturesTests {
    struct Case {
        let name: String
        let cbor: (cid: CID, bytes: [UInt8])
        let json: (cid: CID, bytes: [UInt8])
    }

    static func cases() throws -> [Case] {
        let root = TestFixtures.shared!.appendingPathComponent("ipld-codec-fixtures/fixtures")
        var result: [Case] = []
        for folder in try TestFixtures.list(root) where !folder.lastPathComponent.hasPrefix(".") {
            var cbor: (CID, [UInt8])?
            var json: (CID, [UInt8])?
            for file in try TestFixtures.list(folder) {
                let parts = file.lastPathComponent.split(separator: ".", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let cid = try CID(string: parts[0])
                switch parts[1] {
                case "dag-cbor": cbor = (cid, try TestFixtures.bytes(of: file))
                case "dag-json": json = (cid, try TestFixtures.bytes(of: file))
                default: continue
                }
            }
            if let cbor, let json {
                result.append(Case(name: folder.lastPathComponent, cbor: cbor, json: json))
            }
        }
        return result
    }

    @Test func thereAre128PositiveCases() throws {
        #expect(try Self.cases().count == 128)
    }

    @Test func dagCBORDecodesReencodesAndHashes() throws {
        for c in try Self.cases() {
            let value = try DAGCBOR.decode(c.cbor.bytes)
            #expect(try DAGCBOR.encode(value) == c.cbor.bytes, "\(c.name): re-encoding differs")
            #expect(CID(hashing: c.cbor.bytes, codec: .dagCBOR) == c.cbor.cid, "\(c.name): CID differs")
            #expect(try c.cbor.cid.verify(c.cbor.bytes))
        }
    }

    @Test func dagJSONDecodesToTheSameValueAndReencodes() throws {
        for c in try Self.cases() {
            let fromCBOR = try DAGCBOR.decode(c.cbor.bytes)
            let fromJSON = try DAGJSON.decode(c.json.bytes)
            #expect(fromJSON == fromCBOR, "\(c.name): DAG-JSON value differs from DAG-CBOR value")
            #expect(try DAGJSON.encode(fromJSON) == c.json.bytes, "\(c.name): DAG-JSON re-encoding differs")
            #expect(try DAGJSON.encode(fromCBOR) == c.json.bytes, "\(c.name): DAG-CBOR to DAG-JSON differs")
            #expect(try DAGCBOR.encode(fromJSON) == c.cbor.bytes, "\(c.name): DAG-JSON to DAG-CBOR differs")
            #expect(CID(hashing: c.json.bytes, codec: .dagJSON) == c.json.cid, "\(c.name): DAG-JSON CID differs")
        }
    }

    @Test func negativeFixturesAreRejected() throws {
        let root = TestFixtures.shared!.appendingPathComponent("ipld-codec-fixtures/negative-fixtures")
        for (codec, decode) in [
            ("dag-cbor", { (b: [UInt8]) throws in _ = try DAGCBOR.decode(b) }),
            ("dag-json", { (b: [UInt8]) throws in _ = try DAGJSON.decode(b) }),
        ] {
            let folder = root.appendingPathComponent("\(codec)/decode")
            var count = 0
            for file in try TestFixtures.list(folder) {
                for entry in try TestFixtures.json(file) as! [[String: Any]] {
                    count += 1
                    let bytes = unhex(entry["hex"] as! String)
                    #expect(throws: (any Error).self, "\(codec) \(entry["name"]!) must be rejected") { try decode(bytes) }
                }
            }
            #expect(count >= 1)
        }
        #expect(throws: DAGCBORError(.duplicateMapKey, at: 6)) {
            try DAGCBOR.decode(unhex("a263666f6f0163666f6f02"))
        }
    }

    @Test func carFileOfAllFixturesHasEveryBlockHashingToItsCID() throws {
        // fixtures.car is a CARv1 with zero roots; its sections are varint(len) cid block.
        let car = try TestFixtures.sharedFile("ipld-codec-fixtures/fixtures.car")
        var offset = 0
        var blocks = 0
        try car.withUnsafeBytes { buffer in
            let headerLength = Int(try Varint.read(from: buffer, at: &offset))
            offset += headerLength
            while offset < buffer.count {
                let sectionLength = Int(try Varint.read(from: buffer, at: &offset))
                let end = offset + sectionLength
                let cid = try CID.read(from: buffer, at: &offset)
                let block = UnsafeRawBufferPointer(rebasing: buffer[offset..<end])
                if cid.multihash.code == .sha2_256 {
                    #expect(try cid.verify(block), "block \(cid) does not hash to its CID")
                }
                if cid.codec == .dagCBOR {
                    let value = try DAGCBOR.decode(block)
                    #expect(try DAGCBOR.encode(value) == Array(block))
                }
                offset = end
                blocks += 1
            }
        }
        #expect(blocks == 273)
    }
}
