import EngramIPLD
import Testing

/// Inputs that used to take time quadratic in their size: CID text (radix decoding) and
/// DAG-JSON maps (sorted insertion). Lengths are capped or the work made near-linear; these
/// tests check the results (never the time) against independent references.
@Suite struct InputLimitTests {
    static let radixEncodings: [Multibase] = [.base10, .base36, .base36upper, .base58btc, .base58flickr]

    /// The longest CID any encoding can hold: 9-byte varints for codec and hash code and a
    /// 4096-byte digest of 0xff (the largest number for the radix encodings).
    static let longestCID = CID(codec: Multicodec(Varint.maxValue),
                                multihash: Multihash(code: Multicodec(Varint.maxValue), digest: Digest([UInt8](repeating: 0xff, count: Digest.maxLength))))

    @Test(arguments: Multibase.allCases)
    func textLongerThanAnyCIDIsRefusedBeforeDecoding(encoding: Multibase) throws {
        let digit = encoding.encodeWithoutPrefix([1]).last!
        let text = String(encoding.prefix) + String(repeating: String(digit), count: 1_000_000)
        let limit = 1 + encoding.maxEncodedLength(ofBytes: CID.maxBinaryLength)
        #expect(limit < 40_000)
        #expect(throws: CIDError.textTooLong(length: 1_000_001, limit: limit)) { try CID(string: text) }
        // The same text as a DAG-JSON link.
        let json = Array(#"{"/":""#.utf8) + Array(text.utf8) + Array(#""}"#.utf8)
        #expect(throws: DAGJSONError(.invalidLink(.textTooLong(length: 1_000_001, limit: limit)), at: 0)) { try DAGJSON.decode(json) }
    }

    /// The cap is no tighter than the longest real CID, in every encoding.
    @Test(arguments: Multibase.allCases)
    func theLongestCIDStillParses(encoding: Multibase) throws {
        let cid = Self.longestCID
        let text = cid.string(in: encoding)
        #expect(text.utf8.count <= 1 + encoding.maxEncodedLength(ofBytes: CID.maxBinaryLength))
        #expect(try CID(string: text) == cid)
        let short = CID(hashing: Array("ünïcode\u{0}".utf8))
        #expect(try CID(string: short.string(in: encoding)) == short)
    }

    /// The reference: one digit at a time into little-endian base-256 bytes (the textbook
    /// algorithm the limb decoder replaced).
    static func referenceDecode(_ text: [UInt8], alphabet: [UInt8], caseInsensitive: Bool) -> [UInt8]? {
        func value(_ c: UInt8) -> Int? {
            if let i = alphabet.firstIndex(of: c) { return i }
            guard caseInsensitive else { return nil }
            let folded = c >= 97 && c <= 122 ? c - 32 : c >= 65 && c <= 90 ? c + 32 : c
            return alphabet.firstIndex(of: folded)
        }
        let zeros = text.prefix { $0 == alphabet[0] }.count
        var bytes: [UInt8] = []
        for c in text[zeros...] {
            guard var carry = value(c) else { return nil }
            for j in bytes.indices {
                carry += Int(bytes[j]) * alphabet.count
                bytes[j] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }

    @Test(arguments: radixEncodings)
    func radixDecodingMatchesTheReference(encoding: Multibase) throws {
        // The alphabet in digit order: each value below the radix encodes as one digit.
        let radix = encoding == .base10 ? 10 : encoding == .base58btc || encoding == .base58flickr ? 58 : 36
        let digits = (0..<radix).map { Array(encoding.encodeWithoutPrefix([UInt8($0)]).utf8)[0] }
        #expect(Set(digits).count == radix)
        var rng = SystemRandomNumberGenerator()
        for length in 0..<300 {
            // Random digits, often with leading zero digits.
            let zeros = length % 3 == 0 ? min(length, Int.random(in: 0...4, using: &rng)) : 0
            let text = [UInt8](repeating: digits[0], count: zeros) + (zeros..<length).map { _ in digits.randomElement(using: &rng)! }
            let decoded = try encoding.decodeWithoutPrefix(String(decoding: text, as: UTF8.self))
            #expect(decoded == Self.referenceDecode(text, alphabet: digits, caseInsensitive: false), "\(String(decoding: text, as: UTF8.self))")
            // And back: the canonical encoding of the bytes reads as the same bytes.
            #expect(try encoding.decodeWithoutPrefix(encoding.encodeWithoutPrefix(decoded)) == decoded)
        }
        #expect(throws: MultibaseError.invalidCharacter(UInt8(ascii: "!"), offset: 3)) {
            try encoding.decodeWithoutPrefix(String(decoding: digits[1...3] + [UInt8(ascii: "!")], as: UTF8.self))
        }
    }

    /// 200,000 keys in scrambled input order, non-ASCII, NFC and NFD spellings and escaped NULs
    /// among them, parse into the canonical order (shorter UTF-8 first, then bytewise).
    @Test func aMapOf200000KeysParses() throws {
        var keys: [String] = []
        for i in 0..<50_000 {
            keys.append("k\(i)")
            keys.append("\u{e9}\(i)")  // é, NFC
            keys.append("e\u{301}\(i)")  // é, NFD: a different key
            keys.append("n\u{0}\(i)")
        }
        var rng = SystemRandomNumberGenerator()
        let order = keys.indices.shuffled(using: &rng)
        var json = "{"
        for (n, i) in order.enumerated() {
            if n > 0 { json += "," }
            json += "\"" + keys[i].replacingOccurrences(of: "\u{0}", with: "\\u0000") + "\":\(i)"
        }
        json += "}"
        guard case .map(let map) = try DAGJSON.decode(json) else { Issue.record("not a map"); return }
        #expect(map.count == 200_000)
        let expected = keys.indices.sorted { a, b in
            let x = Array(keys[a].utf8), y = Array(keys[b].utf8)
            return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
        }
        #expect(map.entries.map { Array($0.key.utf8) } == expected.map { Array(keys[$0].utf8) })
        #expect(map.entries.map(\.value) == expected.map { IPLD.integer(IPLDInteger($0)) })
    }

    /// A repeated key is reported at its second occurrence, the earliest such in the text, even
    /// though the entries are sorted once at the end.
    @Test func duplicateKeysAreReportedAtTheFirstRepeat() throws {
        let text = #"{"b":1,"a\u0000":2,"c":3,"a\u0000":4,"b":5}"#
        let repeatAt = Array(text.utf8).indices.filter { text.utf8.dropFirst($0).starts(with: #""a\u0000":4"#.utf8) }
        #expect(throws: DAGJSONError(.duplicateMapKey("a\u{0}"), at: repeatAt[0])) { try DAGJSON.decode(text) }
        // NFC and NFD spellings are different keys.
        guard case .map(let map) = try DAGJSON.decode("{\"\u{e9}\":1,\"e\u{301}\":2}") else { Issue.record("not a map"); return }
        #expect(map.count == 2)
    }

    /// SPEC.md 3: control characters without a short escape are written `\u00xx`, hex in lower case.
    @Test func controlCharactersAreEscapedInLowerCaseHex() throws {
        let written = try DAGJSON.encodeString(.string("\u{1}\u{1b}\u{1f}\u{0}"))
        #expect(written == #""\u0001\u001b\u001f\u0000""#)
    }
}
