import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// hyphacoop/dasl-testing, the cases tagged `basic`, `dag-cbor` and `dasl-cid`.
@Suite(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
struct DASLTests {
    struct Case {
        let type: String
        let bytes: [UInt8]
        let name: String
        let tags: Set<String>
    }

    static func cases() throws -> [Case] {
        let folder = TestFixtures.shared!.appendingPathComponent("dasl-testing/fixtures/cbor")
        var result: [Case] = []
        for file in try TestFixtures.list(folder) where file.pathExtension == "json" {
            for entry in try TestFixtures.json(file) as! [[String: Any]] {
                let tags = Set(entry["tags"] as! [String])
                guard !tags.isDisjoint(with: ["basic", "dag-cbor", "dasl-cid"]) else { continue }
                result.append(Case(
                    type: entry["type"] as! String, bytes: unhex(entry["data"] as! String),
                    name: "\(file.lastPathComponent): \(entry["name"] as! String)", tags: tags))
            }
        }
        return result
    }

    /// DASL-strict links for the `dasl-cid` cases; plain IPLD for the rest.
    static func limits(_ c: Case) -> DAGCBORLimits { c.tags.contains("dasl-cid") ? .dasl : .default }

    @Test func selectionHasTheExpectedShape() throws {
        let cases = try Self.cases()
        #expect(cases.filter { $0.type == "roundtrip" }.count == 23)
        #expect(cases.filter { $0.type == "invalid_in" }.count == 60)
        #expect(cases.filter { $0.type == "invalid_out" }.count == 9)
    }

    @Test func roundtripCasesReencodeByteForByte() throws {
        for c in try Self.cases() where c.type == "roundtrip" {
            let value = try DAGCBOR.decode(c.bytes, limits: Self.limits(c))
            #expect(try DAGCBOR.encode(value) == c.bytes, "\(c.name)")
        }
    }

    @Test func invalidInputIsRejectedWithATypedError() throws {
        for c in try Self.cases() where c.type == "invalid_in" {
            #expect(throws: DAGCBORError.self, "\(c.name) must be rejected") {
                try DAGCBOR.decode(c.bytes, limits: Self.limits(c))
            }
        }
    }

    /// `invalid_out` cases describe values an encoder must refuse. Those the IPLD value type can
    /// hold (NaN, infinities, -0.0) are refused by the encoder; the others (int keys, foreign
    /// tags, undefined, unassigned simple values) cannot be built at all. Either way, their bytes
    /// never decode.
    @Test func invalidOutputIsRefused() throws {
        for c in try Self.cases() where c.type == "invalid_out" {
            #expect(throws: DAGCBORError.self, "\(c.name) must not decode") { try DAGCBOR.decode(c.bytes) }
        }
        for float in [Double.nan, .infinity, -.infinity, -0.0] {
            #expect(throws: DAGCBORError.self) { try DAGCBOR.encode(.float(float)) }
            #expect(throws: DAGJSONError.self) { try DAGJSON.encode(.float(float)) }
        }
    }

    /// The dasl-cid cases that plain IPLD accepts (CIDv0, empty or odd-length digests, dag-pb,
    /// SHA-1) decode without the DASL check, and the DASL check names the rule.
    @Test func daslCheckIsStricterThanIPLD() throws {
        var acceptedByIPLD = 0
        for c in try Self.cases() where c.tags.contains("dasl-cid") && c.type == "invalid_in" {
            if let value = try? DAGCBOR.decode(c.bytes, limits: .default), case .link(let cid) = value {
                acceptedByIPLD += 1
                #expect(!cid.isDASL)
                #expect(throws: CIDError.self) { try cid.validateDASL() }
            }
        }
        #expect(acceptedByIPLD >= 5)
    }
}

/// The integer, float and invalid vectors of draft-caballero-cbor-cbor42.
@Suite(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
struct CBOR42DraftTests {
    static func vectors() throws -> [String: Any] {
        try TestFixtures.json(TestFixtures.shared!.appendingPathComponent("derived/cbor42-draft-vectors.json"))
            as! [String: Any]
    }

    @Test func integersEncodeAsTheDraftSays() throws {
        for entry in try Self.vectors()["integers"] as! [[String: Any]] {
            let integer = try #require(IPLDInteger(entry["value"] as! String))
            let bytes = unhex(entry["cbor_hex"] as! String)
            #expect(try DAGCBOR.encode(.integer(integer)) == bytes)
            #expect(try DAGCBOR.decode(bytes) == .integer(integer))
        }
    }

    @Test func floatsEncodeAsTheDraftSays() throws {
        for entry in try Self.vectors()["floats"] as! [[String: Any]] {
            let expected = entry["cbor42_hex"] as! String
            guard entry["upstream_typo"] as? Bool != true else { continue }
            let diagnostic = entry["diagnostic"] as! String
            if expected == "invalid" || diagnostic == "-0.0" {
                continue  // NaN, infinities and -0.0 are refused (DRISL), checked in DASLTests.
            }
            let bytes = unhex(expected)
            let value = try DAGCBOR.decode(bytes)
            #expect(try DAGCBOR.encode(value) == bytes, "\(diagnostic)")
        }
    }

    @Test func invalidEncodingsAreRejected() throws {
        for entry in try Self.vectors()["invalid"] as! [[String: Any]] {
            #expect(throws: DAGCBORError.self, "\(entry["comment"]!)") {
                try DAGCBOR.decode(unhex(entry["cbor_hex"] as! String))
            }
        }
    }
}
