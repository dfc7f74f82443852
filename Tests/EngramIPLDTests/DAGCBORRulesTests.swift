import EngramIPLD
import EngramTestSupport
import Testing

/// Each rule of strict DAG-CBOR, with the exact reason and offset it is reported at.
struct DAGCBORRulesTests {
    static let rejections: [(hex: String, reason: DAGCBORError.Reason, offset: Int)] = [
        ("", .truncated(needed: 1), 0),
        ("41", .lengthExceedsInput(1), 0),
        ("61", .lengthExceedsInput(1), 0),
        ("a161", .lengthExceedsInput(1), 0),
        ("a16161", .truncated(needed: 1), 3),
        ("8201", .lengthExceedsInput(2), 0),
        ("1817", .nonMinimalEncoding, 0),
        ("190017", .nonMinimalEncoding, 0),
        ("1a0000ffff", .nonMinimalEncoding, 0),
        ("1b00000000ffffffff", .nonMinimalEncoding, 0),
        ("5f4100ff", .indefiniteLength, 0),
        ("9fff", .indefiniteLength, 0),
        ("1c", .reservedAdditionalInfo(28), 0),
        ("c11a514b67b0", .unsupportedTag(1), 0),
        ("d9002a4100", .nonMinimalEncoding, 0),
        ("f7", .unsupportedSimpleValue(23), 0),
        ("f820", .unsupportedSimpleValue(32), 0),
        ("f93c00", .floatNotFloat64, 0),
        ("fa3f800000", .floatNotFloat64, 0),
        ("fb7ff8000000000000", .nonFiniteFloat, 0),
        ("fb7ff0000000000000", .nonFiniteFloat, 0),
        ("fb8000000000000000", .negativeZero, 0),
        ("a10102", .nonTextMapKey, 1),
        ("a2616201616100", .mapKeysOutOfOrder, 4),
        ("a2626161016162", .mapKeysOutOfOrder, 5),
        ("a2616101616102", .duplicateMapKey, 4),
        ("62c328", .invalidUTF8, 0),
        ("63eda080", .invalidUTF8, 0),
        ("62c0af", .invalidUTF8, 0),
        ("d82a4101", .invalidLinkEncoding, 0),
        ("d82a6100", .invalidLinkEncoding, 0),
        ("0000", .trailingBytes, 1),
        ("ff", .indefiniteLength, 0),
    ]

    @Test(arguments: rejections.indices)
    func ruleIsEnforcedAndNamed(_ index: Int) {
        let (text, reason, offset) = Self.rejections[index]
        #expect(throws: DAGCBORError(reason, at: offset), "\(text)") { try DAGCBOR.decode(unhex(text)) }
    }

    @Test func linkToAMalformedCIDNamesTheCIDError() throws {
        // tag 42, bytes(3): 00 01 71 -> CIDv1 dag-cbor with no multihash.
        #expect(throws: DAGCBORError(.invalidCID(.varint(.truncated(offset: 2))), at: 0)) {
            try DAGCBOR.decode(unhex("d82a43000171"))
        }
    }

    @Test func depthAndSizeLimits() throws {
        let deep = [UInt8](repeating: 0x81, count: 300) + [0x00]
        #expect(throws: DAGCBORError(.depthLimitExceeded(256), at: 256)) { try DAGCBOR.decode(deep) }
        #expect(try DAGCBOR.decode(deep, limits: DAGCBORLimits(maxDepth: 400)) != .null)
        #expect(throws: DAGCBORError(.sizeLimitExceeded(4), at: 0)) {
            try DAGCBOR.decode(unhex("6461626364"), limits: DAGCBORLimits(maxSize: 4))
        }
        var nested = IPLD.list([])
        for _ in 0..<300 { nested = .list([nested]) }
        #expect(throws: DAGCBORError.self) { try DAGCBOR.encode(nested) }
    }

    @Test func integersCoverTheWholeCBORRange() throws {
        let cases: [(IPLDInteger, String)] = [
            (IPLDInteger(isNegative: false, cborArgument: .max), "1bffffffffffffffff"),
            (IPLDInteger(isNegative: true, cborArgument: .max), "3bffffffffffffffff"),
            (IPLDInteger(Int64.min), "3b7fffffffffffffff"),
            (IPLDInteger(-1), "20"), (IPLDInteger(24), "1818"), (IPLDInteger(-25), "3818"),
        ]
        for (value, text) in cases {
            #expect(hex(try DAGCBOR.encode(.integer(value))) == text)
            #expect(try DAGCBOR.decode(unhex(text)) == .integer(value))
        }
        #expect(IPLDInteger(isNegative: true, cborArgument: .max).description == "-18446744073709551616")
        #expect(IPLDInteger("-18446744073709551616") == IPLDInteger(isNegative: true, cborArgument: .max))
        #expect(IPLDInteger("18446744073709551616") == nil)
        #expect(IPLDInteger(isNegative: true, cborArgument: .max).int64 == nil)
    }

    @Test func textKeepsItsBytesAndMapsSortByBytes() throws {
        // NFC "é" and NFD "e\u{301}" are equal Swift Strings but different keys and values here.
        let nfc = "\u{e9}", nfd = "e\u{301}"
        var map = IPLDMap()
        map[nfc] = 1
        map[nfd] = 2
        #expect(map.count == 2)
        let bytes = try DAGCBOR.encode(.map(map))
        // Both keys are 3 bytes or less; "e\u{301}" (3 bytes) sorts after "\u{e9}" (2 bytes).
        #expect(hex(bytes) == "a262c3a9016365cc8102")
        #expect(IPLD.string(nfc) != IPLD.string(nfd))
        #expect(try DAGCBOR.decode(bytes) == .map(map))
    }

    @Test func linksInABlockAreFound() throws {
        let a = CID(hashing: [1], codec: .raw), b = CID(hashing: [2])
        let value: IPLD = ["x": .link(a), "y": [.link(b), 3, ["z": .link(a)]]]
        #expect(try DAGCBOR.links(in: try DAGCBOR.encode(value)) == [a, b, a])
    }
}
