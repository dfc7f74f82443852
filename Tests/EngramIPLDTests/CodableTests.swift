import EngramIPLD
import Foundation
import PropertyBased
import Testing

// MARK: - Types under test

private struct CodPair: Codable, Equatable {
    var zz: Int
    var a: String
}

private struct CodRef: Codable, Equatable {
    var to: CID
    var b: [UInt8]
    var neg: Int
    var note: String?
}

private enum CodShape: Codable, Equatable {
    case circle(radius: Double)
    case rect(w: Int, h: Int)
    case label(String)
    case none
}

private struct CodInner: Codable, Equatable {
    var items: [Int8]
    var flag: Bool
}

private struct CodEverything: Codable, Equatable {
    var name: String
    var shapes: [CodShape]
    var inner: CodInner
    var maybeInner: CodInner?
    var missing: Int?
    var doubleOptional: Int??
    var bytes: [UInt8]
    var data: Data
    var link: CID
    var links: [CID?]
    var extra: IPLD
    var big: IPLDInteger
    var counts: [String: Int]
    var byNumber: [Int: String]
    var matrix: [[UInt16]]
    var i8: Int8, u8: UInt8, i16: Int16, u16: UInt16, i32: Int32, u32: UInt32
    var i64: Int64, u64: UInt64, word: UInt, wide: Int128
    var ratio: Float
    var pi: Double
    var empty: [String]

    enum CodingKeys: String, CodingKey {
        case name, shapes, inner, maybeInner, missing, doubleOptional, bytes, data, link, links, extra, big
        case counts, byNumber, matrix, i8, u8, i16, u16, i32, u32, i64, u64, word, wide, ratio, pi, empty
    }
}

private class CodAnimal: Codable {
    var name: String
    init(name: String) { self.name = name }
}

private final class CodDog: CodAnimal {
    var breed: String
    init(name: String, breed: String) {
        self.breed = breed
        super.init(name: name)
    }

    private enum Keys: String, CodingKey { case breed }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(breed, forKey: .breed)
        try super.encode(to: container.superEncoder())
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        breed = try container.decode(String.self, forKey: .breed)
        try super.init(from: container.superDecoder())
    }
}

/// Written by hand to drive every container operation the bridge offers.
private struct CodManual: Codable, Equatable {
    var rows: [[Int]]
    var tags: [String: String]
    var meta: String
    var trailer: Int

    private enum Keys: String, CodingKey { case rows, tags, meta, trailer }
    private struct TagKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(rows: [[Int]], tags: [String: String], meta: String, trailer: Int) {
        (self.rows, self.tags, self.meta, self.trailer) = (rows, tags, meta, trailer)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var rowList = container.nestedUnkeyedContainer(forKey: .rows)
        for row in rows {
            var inner = rowList.nestedUnkeyedContainer()
            for value in row { try inner.encode(value) }
        }
        var tagMap = container.nestedContainer(keyedBy: TagKey.self, forKey: .tags)
        for (key, value) in tags { try tagMap.encode(value, forKey: TagKey(stringValue: key)) }
        var metaValue = container.superEncoder(forKey: .meta).singleValueContainer()
        try metaValue.encode(meta)
        // Asking again for the keyed container continues the same map.
        var again = encoder.container(keyedBy: Keys.self)
        var list = again.nestedUnkeyedContainer(forKey: .trailer)
        var nested = list.nestedContainer(keyedBy: Keys.self)
        try nested.encode(trailer, forKey: .trailer)
        var superList = list.superEncoder().unkeyedContainer()
        try superList.encode(trailer)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        #expect(container.allKeys.map(\.stringValue) == ["meta", "rows", "tags", "trailer"])
        let probe = try decoder.container(keyedBy: CodManualKeyProbe.self)
        #expect(probe.contains(.meta) && !probe.contains(.x))
        #expect(probe.allKeys == [.meta])
        var rowList = try container.nestedUnkeyedContainer(forKey: .rows)
        var rows: [[Int]] = []
        rows.reserveCapacity(rowList.count ?? 0)
        while !rowList.isAtEnd {
            var inner = try rowList.nestedUnkeyedContainer()
            var row: [Int] = []
            while !inner.isAtEnd { row.append(try inner.decode(Int.self)) }
            rows.append(row)
        }
        self.rows = rows
        let tagMap = try container.nestedContainer(keyedBy: TagKey.self, forKey: .tags)
        var tags: [String: String] = [:]
        for key in tagMap.allKeys { tags[key.stringValue] = try tagMap.decode(String.self, forKey: key) }
        self.tags = tags
        meta = try container.superDecoder(forKey: .meta).singleValueContainer().decode(String.self)
        var list = try container.nestedUnkeyedContainer(forKey: .trailer)
        #expect(list.count == 2 && list.currentIndex == 0)
        let nested = try list.nestedContainer(keyedBy: Keys.self)
        trailer = try nested.decode(Int.self, forKey: .trailer)
        var superList = try list.superDecoder().unkeyedContainer()
        #expect(try superList.decode(Int.self) == trailer)
        #expect(list.isAtEnd)
    }
}

private enum CodManualKeyProbe: String, CodingKey {
    case x, meta
}

private struct CodNothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

private struct CodConfused: Encodable {
    func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodManualKeyProbe.self)
        try keyed.encode(1, forKey: .meta)
        var list = encoder.unkeyedContainer()
        try list.encode(2)
    }
}

private struct CodTwice: Encodable {
    func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodManualKeyProbe.self)
        try keyed.encode(1, forKey: .meta)
        try keyed.encode(2, forKey: .x)
        try keyed.encode(3, forKey: .meta)
    }
}

private struct CodThree: Decodable {
    var values: [Int]
    init(from decoder: any Decoder) throws {
        var list = try decoder.unkeyedContainer()
        values = [try list.decode(Int.self), try list.decode(Int.self), try list.decode(Int.self)]
    }
}

private struct CodByte: Codable { var v: UInt8 }
private struct CodNested: Codable { var inner: CodInner }
private struct CodDouble: Codable { var d: Double }
private struct CodFloat: Codable { var f: Float }
private struct CodWide: Codable { var w: Int128 }
private struct CodOptional: Codable, Equatable {
    var a: String
    var b: Int?
}

// MARK: - Helpers

private func sampleCID(_ seed: UInt8) -> CID { CID(hashing: [0xf6, seed]) }

private func everything() -> CodEverything {
    CodEverything(
        name: "snow ❄︎",
        shapes: [.circle(radius: 1.5), .rect(w: 2, h: -3), .label("x"), .none],
        inner: CodInner(items: [-128, 0, 127], flag: true),
        maybeInner: nil, missing: nil, doubleOptional: .some(nil),
        bytes: [0, 1, 255], data: Data([9, 8, 7]),
        link: sampleCID(1), links: [sampleCID(2), nil],
        extra: ["k": .link(sampleCID(3)), "b": .bytes([1]), "l": [1, "two", 3.5, .null]],
        big: IPLDInteger(isNegative: true, cborArgument: .max),
        counts: ["b": 2, "a": 1, "ccc": 3], byNumber: [10: "ten", 2: "two"],
        matrix: [[1, 2], [], [65535]],
        i8: .min, u8: .max, i16: .min, u16: .max, i32: .min, u32: .max,
        i64: .min, u64: .max, word: .max, wide: -(Int128(1) << 64),
        ratio: 0.1, pi: .pi, empty: [])
}

private func path(_ keys: [any CodingKey]) -> [String] { keys.map(\.stringValue) }

private func decodingContext(_ error: any Error) -> (kind: String, context: DecodingError.Context)? {
    switch error as? DecodingError {
    case .typeMismatch(_, let c): ("typeMismatch", c)
    case .valueNotFound(_, let c): ("valueNotFound", c)
    case .keyNotFound(let k, let c): ("keyNotFound:\(k.stringValue)", c)
    case .dataCorrupted(let c): ("dataCorrupted", c)
    default: nil
    }
}

private func encodingContext(_ error: any Error) -> EncodingError.Context? {
    if case .invalidValue(_, let c) = error as? EncodingError { return c }
    return nil
}

// MARK: - Tests

@Suite struct CodableTests {
    @Test func keysAreWrittenInCanonicalOrder() throws {
        let bytes = try DAGCBOREncoder().encode(CodPair(zz: 1, a: "x"))
        // {"a": "x", "zz": 1}: "a" sorts first although the type declares `zz` first.
        #expect(Hex.encode(bytes) == "a261616178627a7a01")
        #expect(try DAGCBORDecoder().decode(CodPair.self, from: bytes) == CodPair(zz: 1, a: "x"))
        #expect(try DAGJSONEncoder().encodeString(CodPair(zz: 1, a: "x")) == #"{"a":"x","zz":1}"#)
    }

    @Test func linksBytesAndOmittedOptionalsAreByteExact() throws {
        let cid = sampleCID(0)
        let value = CodRef(to: cid, b: [1, 2], neg: -100, note: nil)
        let bytes = try DAGCBOREncoder().encode(value)
        // Shorter keys first: "b", "to", "neg"; `note` is nil, so absent.
        let expected = "a3" + "6162" + "420102" + "62746f" + "d82a5825" + "00" + Hex.encode(cid.bytes) + "636e6567" + "3863"
        #expect(cid.bytes.prefix(4) == [0x01, 0x71, 0x12, 0x20])
        #expect(Hex.encode(bytes) == expected)
        #expect(try DAGCBORDecoder().decode(CodRef.self, from: bytes) == value)
    }

    @Test func everythingRoundTrips() throws {
        let value = everything()
        let ipld = try IPLDEncoder().encode(value)
        #expect(ipld["bytes"] == .bytes([0, 1, 255]))
        #expect(ipld["data"] == .bytes([9, 8, 7]))
        #expect(ipld["link"] == .link(sampleCID(1)))
        #expect(ipld["links"] == [.link(sampleCID(2)), .null])
        #expect(ipld["empty"] == .list([]))
        #expect(ipld["inner"]?["items"] == [-128, 0, 127])
        #expect(ipld["missing"] == nil && ipld["maybeInner"] == nil)
        #expect(ipld["doubleOptional"] == .null)
        #expect(ipld["shapes"]?[0] == ["circle": ["radius": 1.5]])
        #expect(ipld["shapes"]?[3] == ["none": [:]])
        #expect(ipld["byNumber"] == ["2": "two", "10": "ten"])
        #expect(ipld["big"] == .integer(IPLDInteger(isNegative: true, cborArgument: .max)))
        #expect(ipld["wide"] == .integer(IPLDInteger(isNegative: true, cborArgument: .max)))
        #expect(ipld["ratio"] == .float(Double(Float(0.1))))

        let bytes = try DAGCBOREncoder().encode(value)
        #expect(try DAGCBOR.encode(DAGCBOR.decode(bytes)) == bytes)
        // `.some(nil)` is written as null and reads back as nil, as with JSONEncoder.
        var expected = value
        expected.doubleOptional = nil
        #expect(try DAGCBORDecoder().decode(CodEverything.self, from: bytes) == expected)
        #expect(try IPLDDecoder().decode(CodEverything.self, from: ipld) == expected)

        let json = try DAGJSONEncoder().encode(value)
        #expect(try DAGJSONDecoder().decode(CodEverything.self, from: json) == expected)
        var present = value
        present.doubleOptional = .some(4)
        #expect(try DAGCBORDecoder().decode(CodEverything.self, from: DAGCBOREncoder().encode(present)) == present)
    }

    @Test func superEncoderAndSuperDecoder() throws {
        let ipld = try IPLDEncoder().encode(CodDog(name: "rex", breed: "collie"))
        #expect(ipld == ["breed": "collie", "super": ["name": "rex"]])
        let dog = try IPLDDecoder().decode(CodDog.self, from: ipld)
        #expect(dog.name == "rex" && dog.breed == "collie")
    }

    @Test func everyContainerOperation() throws {
        let value = CodManual(rows: [[1, 2], [], [3]], tags: ["zeta": "z", "al": "a"], meta: "m", trailer: 7)
        let ipld = try IPLDEncoder().encode(value)
        #expect(
            ipld == [
                "rows": [[1, 2], [], [3]], "tags": ["al": "a", "zeta": "z"], "meta": "m",
                "trailer": [["trailer": 7], [7]],
            ])
        #expect(try IPLDDecoder().decode(CodManual.self, from: ipld) == value)
    }

    @Test func optionalsDecodeFromMissingKeyOrNull() throws {
        let decoder = IPLDDecoder()
        #expect(try decoder.decode(CodOptional.self, from: ["a": "x"]) == CodOptional(a: "x", b: nil))
        #expect(try decoder.decode(CodOptional.self, from: ["a": "x", "b": .null]) == CodOptional(a: "x", b: nil))
        #expect(try decoder.decode(CodOptional.self, from: ["a": "x", "b": 4]) == CodOptional(a: "x", b: 4))
        #expect(try IPLDEncoder().encode(CodOptional(a: "x", b: nil)) == ["a": "x"])
    }

    @Test func integerOutOfRangeNamesThePath() throws {
        let bytes = try DAGCBOR.encode(["v": 300])
        do {
            _ = try DAGCBORDecoder().decode(CodByte.self, from: bytes)
            Issue.record("UInt8 300 decoded")
        } catch {
            let found = try #require(decodingContext(error))
            #expect(found.kind == "dataCorrupted")
            #expect(path(found.context.codingPath) == ["v"])
            #expect(found.context.debugDescription == "at v: integer 300 does not fit in UInt8")
        }
        do {
            _ = try IPLDDecoder().decode(CodNested.self, from: ["inner": ["items": [1, 200], "flag": true]])
            Issue.record("Int8 200 decoded")
        } catch {
            let found = try #require(decodingContext(error))
            #expect(path(found.context.codingPath) == ["inner", "items", "Index 1"])
            #expect(found.context.debugDescription == "at inner.items[1]: integer 200 does not fit in Int8")
        }
        #expect(throws: DecodingError.self) { try IPLDDecoder().decode(CodByte.self, from: ["v": -1]) }
        #expect(throws: DecodingError.self) { try IPLDDecoder().decode(Int64.self, from: .integer(IPLDInteger(UInt64.max))) }
        #expect(try IPLDDecoder().decode(UInt64.self, from: .integer(IPLDInteger(UInt64.max))) == .max)
        #expect(try IPLDDecoder().decode(Int128.self, from: .integer(IPLDInteger(isNegative: true, cborArgument: .max))) == -(Int128(1) << 64))
    }

    @Test func unrepresentableValuesAreRefusedOnEncode() throws {
        for bad in [Double.nan, .infinity, -.infinity, -0.0] {
            do {
                _ = try DAGCBOREncoder().encode(CodDouble(d: bad))
                Issue.record("\(bad) encoded")
            } catch {
                let context = try #require(encodingContext(error), "\(error)")
                #expect(path(context.codingPath) == ["d"])
                #expect(context.debugDescription.hasPrefix("at d: "))
            }
        }
        #expect(throws: EncodingError.self) { try IPLDEncoder().encode(CodFloat(f: -0.0)) }
        do {
            _ = try IPLDEncoder().encode([1.0, .nan])
            Issue.record("NaN in a list encoded")
        } catch {
            #expect(path(try #require(encodingContext(error)).codingPath) == ["Index 1"])
        }
        #expect(throws: EncodingError.self) { try IPLDEncoder().encode(CodWide(w: Int128(1) << 64)) }
        #expect(throws: EncodingError.self) { try IPLDEncoder().encode(CodWide(w: -(Int128(1) << 64) - 1)) }
        #expect(try IPLDEncoder().encode(CodWide(w: Int128(UInt64.max))) == ["w": .integer(IPLDInteger(UInt64.max))])
    }

    @Test func wrongKindsMissingKeysAndShortListsNameThePath() throws {
        let decoder = IPLDDecoder()
        let cases: [(IPLD, String, [String])] = [
            (["a": 1], "typeMismatch", ["a"]),
            ([:], "keyNotFound:a", []),
            (["a": .null], "valueNotFound", ["a"]),
            ("text", "typeMismatch", []),
        ]
        for (input, kind, expectedPath) in cases {
            do {
                _ = try decoder.decode(CodOptional.self, from: input)
                Issue.record("\(input) decoded")
            } catch {
                let found = try #require(decodingContext(error))
                #expect(found.kind == kind)
                #expect(path(found.context.codingPath) == expectedPath)
            }
        }
        do {
            _ = try decoder.decode(CodThree.self, from: [1, 2])
            Issue.record("two elements read as three")
        } catch {
            let found = try #require(decodingContext(error))
            #expect(found.kind == "valueNotFound")
            #expect(path(found.context.codingPath) == ["Index 2"])
        }
        // Kinds stay distinct: bytes are not a list, a list is not bytes, a float is not an integer.
        #expect(throws: DecodingError.self) { try decoder.decode([UInt8].self, from: [1, 2]) }
        #expect(throws: DecodingError.self) { try decoder.decode([Int].self, from: .bytes([1, 2])) }
        #expect(throws: DecodingError.self) { try decoder.decode(Int.self, from: 1.0) }
        #expect(throws: DecodingError.self) { try decoder.decode(CID.self, from: "bafy") }
        // An integer reads as a float only when exact.
        #expect(try decoder.decode(Double.self, from: 3) == 3.0)
        #expect(throws: DecodingError.self) { try decoder.decode(Double.self, from: .integer(IPLDInteger(UInt64.max))) }
        #expect(throws: DecodingError.self) { try decoder.decode(Float.self, from: 1e300) }
    }

    @Test func badBytesSurfaceAsDAGCBORError() throws {
        // {"zz": 1, "a": "x"}: keys out of canonical order.
        let bytes = Hex.decode("a2627a7a0161616178")!
        do {
            _ = try DAGCBORDecoder().decode(CodPair.self, from: bytes)
            Issue.record("non-canonical bytes decoded")
        } catch let error as DAGCBORError {
            #expect(error.reason == .mapKeysOutOfOrder)
        }
        #expect(throws: DAGCBORError.self) { try DAGCBORDecoder().decode(CodPair.self, from: Hex.decode("a261616178627a7a0100")!) }
        let deep = DAGCBORLimits(maxDepth: 1)
        #expect(throws: DAGCBORError.self) {
            try DAGCBORDecoder(limits: deep).decode(CodNested.self, from: DAGCBOREncoder().encode(CodNested(inner: CodInner(items: [], flag: false))))
        }
    }

    @Test func misuseIsAnErrorNotACrash() throws {
        #expect(throws: EncodingError.self) { try IPLDEncoder().encode(CodNothing()) }
        do {
            _ = try IPLDEncoder().encode(CodConfused())
            Issue.record("keyed then unkeyed encoded")
        } catch {
            #expect(try #require(encodingContext(error)).debugDescription.contains("list container"))
        }
        // A key written twice keeps its last value.
        #expect(try IPLDEncoder().encode(CodTwice()) == ["meta": 3, "x": 2])
    }

    @Test func cidAndIPLDThroughFoundationCoders() throws {
        let cid = sampleCID(5)
        let json = try JSONEncoder().encode(["c": cid])
        #expect(String(decoding: json, as: UTF8.self) == #"{"c":"\#(cid)"}"#)
        #expect(try JSONDecoder().decode([String: CID].self, from: json) == ["c": cid])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: CID].self, from: Data(#"{"c":"nope"}"#.utf8)) }

        let value: IPLD = ["l": .link(cid), "b": .bytes([1, 2, 3]), "n": .null, "t": true, "i": -5, "u": .integer(IPLDInteger(UInt64.max)), "f": 1.5, "s": "x", "xs": [1, [2]]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = try encoder.encode(value)
        #expect(String(decoding: text, as: UTF8.self).contains(#""l":{"\/":"\#(cid)"}"#))
        #expect(try JSONDecoder().decode(IPLD.self, from: text) == value)
        #expect(try JSONDecoder().decode(IPLDInteger.self, from: Data("-7".utf8)) == IPLDInteger(-7))
    }

    @Test func randomStructsRoundTrip() async {
        struct Leaf: Codable, Equatable {
            var i: Int
            var u: UInt64
            var s: String
            var d: Double
            var bytes: [UInt8]
            var o: Int16?
        }
        struct Tree: Codable, Equatable {
            var leaves: [Leaf]
            var map: [String: Int32]
            var last: Leaf?
        }
        let text = Gen.unicodeScalar(in: "\u{0}"..."\u{2FF}").map { Character($0) }.string(of: 0...6)
        let leaf = zip(
            zip(Gen.int(), Gen.uint64(), text),
            zip(Gen.double(in: -1e300...1e300).map { $0 == 0 ? 0 : $0 }, Gen.uint8().array(of: 0...5), Gen.int16().optional)
        ).map { Leaf(i: $0.0.0, u: $0.0.1, s: $0.0.2, d: $0.1.0, bytes: $0.1.1, o: $0.1.2) }
        let tree = zip(leaf.array(of: 0...4), zip(text, Gen.int32()).dictionary(ofAtMost: 0...4), leaf.optional)
            .map { Tree(leaves: $0.0, map: $0.1, last: $0.2) }
        await propertyCheck(count: 200, input: tree) { tree in
            let bytes = try DAGCBOREncoder().encode(tree)
            // Strict decode accepts it, so it is canonical, and re-encoding is the identity.
            #expect(try DAGCBOR.encode(DAGCBOR.decode(bytes)) == bytes)
            #expect(try DAGCBORDecoder().decode(Tree.self, from: bytes) == tree)
            #expect(try DAGJSONDecoder().decode(Tree.self, from: DAGJSONEncoder().encode(tree)) == tree)
        }
    }
}
