import EngramIPLD
import PropertyBased
import Testing
@testable import EngramProlly

/// Tuple order: by kind, then by value; text and bytes bytewise.
func valueOrder(_ a: KeyValue, _ b: KeyValue) -> Int {
    func rank(_ v: KeyValue) -> Int {
        switch v {
        case .null: 0
        case .bool(let x): x ? 2 : 1
        case .int: 3
        case .float: 4
        case .text: 5
        case .bytes: 6
        }
    }
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
    case (.float(let x), .float(let y)): return x < y ? -1 : x == y ? 0 : 1
    case (.text(let x), .text(let y)): return KeyOrder.compare(Array(x.utf8), Array(y.utf8))
    case (.bytes(let x), .bytes(let y)): return KeyOrder.compare(x, y)
    default: return rank(a) < rank(b) ? -1 : rank(a) == rank(b) ? 0 : 1
    }
}

func randomKeyValue(_ rng: inout SplitMix64) -> KeyValue {
    let small: [UInt8] = [0, 1, 0xfe, 0xff, 0x61]
    func shortBytes() -> [UInt8] { (0..<Int(rng.next() % 6)).map { _ in small[Int(rng.next() % 5)] } }
    switch rng.next() % 7 {
    case 0: return .null
    case 1: return .bool(rng.next() % 2 == 0)
    case 2: return .int([Int64.min, -1, 0, 1, Int64.max, Int64(bitPattern: rng.next()), Int64(bitPattern: rng.next()) >> 40][Int(rng.next() % 7)])
    case 3: return .float([-1e300, -2.5, -0.0, 0, 1e-300, 3.25, .infinity, -.infinity, Double(Int64(bitPattern: rng.next()) >> 20) / 7][Int(rng.next() % 9)])
    case 4: return .text(String(decoding: shortBytes().map { $0 == 0xff || $0 == 0xfe ? 0x7a : $0 }, as: UTF8.self))
    default: return .bytes(shortBytes())
    }
}

@Suite struct TupleKeyTests {
    @Test func valueEncodingOrderIsValueOrder() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let a = randomKeyValue(&rng)
            let b = randomKeyValue(&rng)
            let ka = try TupleKey.make { (k) throws(ProllyError) in try k.append(a) }
            let kb = try TupleKey.make { (k) throws(ProllyError) in try k.append(b) }
            #expect(KeyOrder.compare(ka, kb) == valueOrder(a, b), "\(a) vs \(b)")
        }
    }

    @Test func tupleOrderIsKeyOrderAndPrefixesArePrefixes() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let labels = ["", "a", "a\u{0}", "a\u{0}b", "ab", "b"]
            func tuple() -> (String, KeyValue, [UInt8]) {
                (labels[Int(rng.next() % 6)], randomKeyValue(&rng), rng.bytes(16).map { $0 & 0x01 })
            }
            func encode(_ t: (String, KeyValue, [UInt8])) throws -> [UInt8] {
                try TupleKey.make { (k) throws(ProllyError) in
                    k.append(text: t.0)
                    try k.append(t.1)
                    try k.append(id: t.2)
                }
            }
            let x = tuple()
            let y = tuple()
            var expected = KeyOrder.compare(Array(x.0.utf8), Array(y.0.utf8))
            if expected == 0 { expected = valueOrder(x.1, y.1) }
            if expected == 0 { expected = KeyOrder.compare(x.2, y.2) }
            let ex = try encode(x)
            let ey = try encode(y)
            #expect(KeyOrder.compare(ex, ey) == expected)
            let prefix = try TupleKey.make { k in k.append(text: x.0) }
            #expect(ex.starts(with: prefix))
        }
    }

    @Test func encodingsAreExact() throws {
        let key = try TupleKey.make { (k) throws(ProllyError) in
            k.append(text: "a\u{0}")
            try k.append(.int(-1))
            try k.append(.float(1.0))
            try k.append(.bool(true))
        }
        #expect(Hex.encode(key) == "6100ff00" + "307fffffffffffffff" + "40bff0000000000000" + "21")
        #expect(throws: ProllyError.self) { try TupleKey.make { (k) throws(ProllyError) in try k.append(id: [1, 2]) } }
        #expect(throws: ProllyError.self) { try TupleKey.make { (k) throws(ProllyError) in try k.append(.float(.nan)) } }
    }

    @Test func longValuesAreCutToAPrefixAndAHash() throws {
        let long = String(repeating: "x", count: 100)
        let a = try TupleKey.make { (k) throws(ProllyError) in try k.append(.text(long)) }
        let b = try TupleKey.make { (k) throws(ProllyError) in try k.append(.text(long + "y")) }
        #expect(a.count == 64 && b.count == 64)
        #expect(a != b)
        #expect(a.prefix(48) == b.prefix(48))
        let short = try TupleKey.make { (k) throws(ProllyError) in try k.append(.text("x")) }
        #expect(KeyOrder.less(short, a) == false || short.count < 64)
    }
}
