import EngramIPLD
import EngramTestSupport
import Foundation
import Testing

/// Varints, multibase, multihash and CIDs against the public vectors.
@Suite(.enabled(if: TestFixtures.sharedAvailable, Comment(rawValue: TestFixtures.sharedMissingMessage)))
struct MultiformatsTests {
    static func derived(_ name: String) throws -> [String: Any] {
        try TestFixtures.json(TestFixtures.shared!.appendingPathComponent("derived/\(name)")) as! [String: Any]
    }

    @Test func varintValidAndInvalidCases() throws {
        let vectors = try Self.derived("unsigned-varint.json")
        for entry in vectors["valid"] as! [[String: Any]] {
            let value = (entry["value"] as! NSNumber).uint64Value
            let bytes = unhex(entry["hex"] as! String)
            #expect(try Varint.encode(value) == bytes)
            let decoded = try Varint.decode(bytes)
            #expect(decoded.value == value && decoded.length == bytes.count)
        }
        let invalid = vectors["invalid"] as! [[String: Any]]
        #expect(invalid.count == 6)
        for entry in invalid {
            #expect(throws: VarintError.self, "\(entry["why"]!)") { try Varint.decode(unhex(entry["hex"] as! String)) }
        }
        #expect(throws: VarintError.valueTooLarge(1 << 63)) { try Varint.encode(1 << 63) }
    }

    /// Every row of the multibase CSVs for the encodings Engram supports (all but base256emoji).
    @Test func multibaseCSVRows() throws {
        let folder = TestFixtures.shared!.appendingPathComponent("multiformats-multibase/tests")
        var checked = 0
        for name in ["basic.csv", "leading_zero.csv", "two_leading_zeros.csv", "case_insensitivity.csv"] {
            let lines = String(decoding: try TestFixtures.bytes(of: folder.appendingPathComponent(name)), as: UTF8.self)
                .split(separator: "\n").map { String($0) }
            let input = Self.unquote(lines[0])
            let expected = Array(input.replacingOccurrences(of: "\\x00", with: "\u{0}").utf8)
            for line in lines.dropFirst() {
                let comma = line.firstIndex(of: ",")!
                let encodingName = String(line[..<comma])
                let text = Self.unquote(line)
                guard let encoding = Multibase(rawValue: encodingName) else {
                    #expect(encodingName == "base256emoji", "unsupported encoding \(encodingName)")
                    continue
                }
                let decoded = try Multibase.decode(text)
                #expect(decoded.encoding == encoding, "\(name) \(encodingName)")
                #expect(decoded.bytes == expected, "\(name) \(encodingName)")
                if name != "case_insensitivity.csv" {
                    #expect(encoding.encode(expected) == text, "\(name) \(encodingName) encodes differently")
                }
                checked += 1
            }
        }
        #expect(checked == 78)
    }

    static func unquote(_ line: String) -> String {
        let first = line.firstIndex(of: "\"")!
        let last = line.lastIndex(of: "\"")!
        return String(line[line.index(after: first)..<last])
    }

    /// Every multihash row parses and re-serialises; sha2-256 rows (full and truncated) are recomputed.
    /// The hashed value is the ASCII text of the `input` column (see the fixtures README).
    @Test func multihashCSVRows() throws {
        let csv = String(decoding: try TestFixtures.sharedFile("multiformats-multihash/tests/values/test_cases.csv"), as: UTF8.self)
        var recomputed = 0
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            let (algorithm, bits, input, expected) = (fields[0], Int(fields[1])!, fields[2], unhex(fields[3]))
            let parsed = try Multihash(bytes: expected)
            #expect(parsed.bytes == expected)
            #expect(parsed.digest.count == bits / 8)
            guard algorithm == "sha2-256" else { continue }
            let full = HashFunction.sha2_256.digest(Array(input.utf8)).bytes
            let truncated = Multihash(code: .sha2_256, digest: Digest(Array(full.prefix(bits / 8))))
            #expect(truncated.bytes == expected, "sha2-256/\(bits) of \(input)")
            #expect(try parsed.verify(Array(input.utf8).withUnsafeBytes { UnsafeRawBufferPointer($0) }) == true)
            recomputed += 1
        }
        #expect(recomputed == 60)
    }

    @Test func blake2b256DerivedVectors() throws {
        for entry in try Self.derived("blake2b-256-multihash.json")["cases"] as! [[String: Any]] {
            let input = unhex(entry["input_hex"] as! String)
            let multihash = Multihash(hashing: input, with: .blake2b_256)
            #expect(multihash.digest.description == entry["blake2b_256_hex"] as! String)
            #expect(hex(multihash.bytes) == entry["multihash_hex"] as! String)
            let cid = CID(hashing: input, codec: .raw, function: .blake2b_256)
            #expect(cid.description == entry["cidv1_raw"] as! String)
            #expect(try CID(string: cid.description) == cid)
        }
    }

    @Test func sha256AndIdentityCIDExamples() throws {
        for entry in try Self.derived("sha256-identity-cid-examples.json")["cases"] as! [[String: Any]] {
            let input = unhex(entry["input_hex"] as! String)
            #expect(hex(Multihash(hashing: input, with: .sha2_256).bytes) == entry["multihash_hex"] as! String)
            #expect(CID(hashing: input, codec: .raw).description == entry["cidv1_raw_base32"] as! String)
            let identity = CID(codec: .raw, multihash: try Multihash.identity(input))
            #expect(hex(identity.multihash.bytes) == entry["identity_multihash_hex"] as! String)
            #expect(identity.description == entry["cidv1_raw_identity_base32"] as! String)
            #expect(try identity.verify(input))
        }
    }

    /// atproto's CID syntax lists check only characters and length. The real CIDs among the
    /// valid ones parse; the contrived ones may fail, but only with a typed error; every
    /// invalid one except CIDv0 (refused only by atproto's narrower rules) is refused.
    @Test func atprotoCIDSyntax() throws {
        let folder = TestFixtures.shared!.appendingPathComponent("atproto-interop-tests/syntax")
        func lines(_ name: String) throws -> [String] {
            String(decoding: try TestFixtures.bytes(of: folder.appendingPathComponent(name)), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                .filter { !$0.hasPrefix("#") }
        }
        var parsed = 0
        for text in try lines("cid_syntax_valid.txt") {
            do {
                let cid = try CID(string: text)
                #expect(try CID(string: cid.description) == cid)
                parsed += 1
            } catch {
                #expect(!text.hasPrefix("bafy") && !text.hasPrefix("zdj7W"), "\(text): \(error)")
            }
        }
        #expect(parsed >= 4)
        for text in try lines("cid_syntax_invalid.txt") where !text.hasPrefix("Qm") {
            #expect((try? CID(string: text)) == nil, "\(text) must not parse")
        }
    }
}
