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

/// Text made of pieces that stress the encoding: NUL, bytes next to the escape and terminator,
/// non-ASCII, and both normal forms of é (distinct keys: keys are bytes, not `String ==`).
let textPieces = ["a", "b", "\u{0}", "\u{1}", "\u{7f}", "\u{e9}", "e\u{301}", "\u{ff}", "\u{100}", "\u{1F600}", "ab", "a\u{0}b"]

func randomText(_ rng: inout SplitMix64, maxPieces: UInt64 = 4) -> String {
    (0..<(rng.next() % (maxPieces + 1))).map { _ in textPieces[Int(rng.next() % UInt64(textPieces.count))] }.joined()
}

/// Ids that start and end with `00` and `ff`, which the old text terminator got wrong.
func randomID(_ rng: inout SplitMix64) -> [UInt8] {
    let fixed: [[UInt8]] = [[UInt8](repeating: 0, count: 16), [UInt8](repeating: 0xff, count: 16), [0xff] + [UInt8](repeating: 0, count: 15)]
    if rng.next() % 2 == 0 { return fixed[Int(rng.next() % 3)] }
    return rng.bytes(16).map { b in [0, 0xff, 1, b][Int(b % 4)] }
}

func randomKeyValue(_ rng: inout SplitMix64, long: Bool = false) -> KeyValue {
    let small: [UInt8] = [0, 1, 0xfe, 0xff, 0x61]
    func someBytes() -> [UInt8] { (0..<Int(rng.next() % (long ? 70 : 6))).map { _ in small[Int(rng.next() % 5)] } }
    switch rng.next() % 7 {
    case 0: return .null
    case 1: return .bool(rng.next() % 2 == 0)
    case 2: return .int([Int64.min, -1, 0, 1, Int64.max, Int64(bitPattern: rng.next()), Int64(bitPattern: rng.next()) >> 40][Int(rng.next() % 7)])
    case 3: return .float([-1e300, -2.5, -0.0, 0, 1e-300, 3.25, .infinity, -.infinity, Double(Int64(bitPattern: rng.next()) >> 20) / 7][Int(rng.next() % 9)])
    case 4: return .text(randomText(&rng, maxPieces: long ? 40 : 4))
    default: return .bytes(someBytes())
    }
}

/// One component of a tuple, as the index trees use them.
enum Component: CustomStringConvertible {
    case id([UInt8])
    case text(String)
    case value(KeyValue)

    var description: String {
        switch self {
        case .id(let b): "id " + Hex.encode(b)
        case .text(let s): "text " + Hex.encode(Array(s.utf8))
        case .value(let v): "value \(v)"
        }
    }
}

func encode(_ tuple: [Component]) throws -> [UInt8] {
    try TupleKey.make { (k) throws(ProllyError) in
        for c in tuple {
            switch c {
            case .id(let b): try k.append(id: b)
            case .text(let s): k.append(text: s)
            case .value(let v): try k.append(v)
            }
        }
    }
}

/// Reads a key back with the component kinds of `shape`: the decoded tuple, with cut values as
/// their prefix and hash.
func decode(_ key: [UInt8], like shape: [Component]) throws -> [DecodedComponent] {
    var r = TupleKeyReader(key)
    var out: [DecodedComponent] = []
    for c in shape {
        switch c {
        case .id: out.append(.id(try r.readID()))
        case .text: out.append(.text(try r.readTextBytes()))
        case .value: out.append(.value(try r.readValue()))
        }
    }
    try r.finish()
    return out
}

/// The key of a decoded tuple, built again (cut values as their kept bytes).
func reencode(_ tuple: [DecodedComponent]) throws -> [UInt8] {
    var key: [UInt8] = []
    for c in tuple {
        switch c {
        case .id(let b): key += b
        case .text(let b): key += try encode([.text(String(decoding: b, as: UTF8.self))])
        case .value(.exact(let v)): key += try TupleKey.encoding(of: v).bytes
        case .value(.cut(let p, let h)): key += p + h
        }
    }
    return key
}

/// A decoded component; text as its bytes, so NFC and NFD stay apart.
enum DecodedComponent: Hashable {
    case id([UInt8])
    case text([UInt8])
    case value(DecodedKeyValue)

    /// What decoding `c`'s encoding must give.
    init(expected c: Component) throws {
        switch c {
        case .id(let b): self = .id(b)
        case .text(let s): self = .text(Array(s.utf8))
        case .value(let v):
            let (bytes, cut) = try TupleKey.encoding(of: v)
            if cut {
                self = .value(.cut(prefix: Array(bytes.prefix(TupleKey.maxValueLength)), hash: Array(bytes.suffix(TupleKey.hashLength))))
            } else if case .float(let d) = v, d == 0 {
                self = .value(.exact(.float(0)))
            } else {
                self = .value(.exact(v))
            }
        }
    }
}

/// The reference order of two decoded tuples of one shape, or nil where the order is not defined
/// (the first difference is between two cut values with the same kept prefix).
func referenceOrder(_ a: [DecodedComponent], _ b: [DecodedComponent]) -> Int? {
    for (x, y) in zip(a, b) {
        let c: Int
        switch (x, y) {
        case (.id(let p), .id(let q)), (.text(let p), .text(let q)): c = KeyOrder.compare(p, q)
        case (.value(.exact(let p)), .value(.exact(let q))):
            // Equal texts compare by bytes here: NFC and NFD differ.
            if case .text(let s) = p, case .text(let t) = q { c = KeyOrder.compare(Array(s.utf8), Array(t.utf8)) } else { c = valueOrder(p, q) }
        case (.value(.cut(let p, let h)), .value(.cut(let q, let k))):
            if p == q && h != k { return nil }
            c = KeyOrder.compare(p, q)
        case (.value(.exact(let p)), .value(.cut(let q, _))):
            c = KeyOrder.compare(try! TupleKey.encoding(of: p).bytes, q) < 0 ? -1 : 1
        case (.value(.cut(let p, _)), .value(.exact(let q))):
            c = KeyOrder.compare(p, try! TupleKey.encoding(of: q).bytes) < 0 ? -1 : 1
        default: preconditionFailure("tuples of different shapes")
        }
        if c != 0 { return c }
    }
    return 0
}

func randomTuple(_ rng: inout SplitMix64, shape: Int, long: Bool) -> [Component] {
    switch shape {
    case 0: [.text(randomText(&rng)), .id(randomID(&rng))]
    case 1: [.text(randomText(&rng)), .text(randomText(&rng)), .value(randomKeyValue(&rng, long: long)), .id(randomID(&rng))]
    default: [.id(randomID(&rng)), .text(randomText(&rng)), .id(randomID(&rng)), .id(randomID(&rng))]
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
            let want: Int
            if case .text(let s) = a, case .text(let t) = b { want = KeyOrder.compare(Array(s.utf8), Array(t.utf8)) } else { want = valueOrder(a, b) }
            #expect(KeyOrder.compare(ka, kb) == want, "\(a) vs \(b)")
        }
    }

    /// Labels, props and adjacency shaped tuples: key order is the reference order of the decoded
    /// tuples, decoding gives the tuple back, and the key of every prefix of complete components
    /// is extended exactly by the keys of tuples that start with those components.
    @Test func keyOrderIsTupleOrderAndDecodeInvertsEncode() async {
        await propertyCheck(count: 400, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix64(seed: seed)
            let shape = Int(rng.next() % 3)
            let long = rng.next() % 4 == 0
            let x = randomTuple(&rng, shape: shape, long: long)
            var y = randomTuple(&rng, shape: shape, long: long)
            // Share a leading run often, so later components decide the order.
            let shared = Int(rng.next() % UInt64(x.count))
            y.replaceSubrange(0..<shared, with: x[0..<shared])
            let (kx, ky) = (try encode(x), try encode(y))
            let (dx, dy) = (try decode(kx, like: x), try decode(ky, like: y))
            #expect(dx == (try x.map(DecodedComponent.init(expected:))), "\(x)")
            #expect(dy == (try y.map(DecodedComponent.init(expected:))), "\(y)")
            #expect(try reencode(dx) == kx && reencode(dy) == ky)
            if let want = referenceOrder(dx, dy) { #expect(KeyOrder.compare(kx, ky) == want, "\(x) vs \(y)") }
            for j in 1..<x.count {
                let prefix = try encode(Array(x[0..<j]))
                let starts = referenceOrder(Array(dx[0..<j]), Array(dy[0..<j])) == 0
                let exact = !dx[0..<j].contains { if case .value(.cut) = $0 { true } else { false } }
                #expect(kx.starts(with: prefix))
                if exact { #expect(ky.starts(with: prefix) == starts, "\(y) under prefix \(j) of \(x)") }
            }
        }
    }

    /// The vectors of the independent Python reference (Fixtures/prolly/tuple_keys.py).
    @Test func matchesThePythonReference() throws {
        let fixture = try ProllyFixtures.load("tuple-keys.json")
        let vectors = try #require(fixture["vectors"]?.listValue)
        #expect(vectors.count >= 300)
        var cuts = 0
        for vector in vectors {
            let parts = try #require(vector["tuple"]?.listValue)
            let tuple = try parts.map { (p) throws -> Component in
                let pair = try #require(p.listValue)
                let kind = try #require(pair.first?.stringValue)
                let raw = try #require(pair.last?.stringValue.flatMap { Hex.decode($0) })
                var be: UInt64 = 0
                for b in raw.prefix(8) { be = be << 8 | UInt64(b) }
                switch kind {
                case "id": return .id(raw)
                case "text": return .text(try #require(String(validating: raw, as: UTF8.self)))
                case "null": return .value(.null)
                case "false": return .value(.bool(false))
                case "true": return .value(.bool(true))
                case "int": return .value(.int(Int64(bitPattern: be)))
                case "float": return .value(.float(Double(bitPattern: be)))
                case "vtext": return .value(.text(try #require(String(validating: raw, as: UTF8.self))))
                case "vbytes": return .value(.bytes(raw))
                default: throw ProllyError.invalidKeyComponent("unknown kind \(kind)")
                }
            }
            let key = try encode(tuple)
            #expect(Hex.encode(key) == vector["key"]?.stringValue, "\(tuple)")
            #expect(try decode(key, like: tuple) == (try tuple.map(DecodedComponent.init(expected:))))
            if vector["cut"] == .bool(true) { cuts += 1 }
        }
        #expect(cuts >= 10)
    }

    @Test func encodingsAreExact() throws {
        let key = try TupleKey.make { (k) throws(ProllyError) in
            k.append(text: "a\u{0}")
            try k.append(.int(-1))
            try k.append(.float(1.0))
            try k.append(.bool(true))
        }
        #expect(Hex.encode(key) == "6100ff0001" + "307fffffffffffffff" + "40bff0000000000000" + "21")
        #expect(throws: ProllyError.self) { try TupleKey.make { (k) throws(ProllyError) in try k.append(id: [1, 2]) } }
        #expect(throws: ProllyError.self) { try TupleKey.make { (k) throws(ProllyError) in try k.append(.float(.nan)) } }
    }

    /// The finding of issue 9: ("a", id ff..) sorted after ("a\0b", ..) when text ended with `00`.
    @Test func aShorterTextSortsFirstWhateverFollows() throws {
        let ff = [UInt8](repeating: 0xff, count: 16), zero = [UInt8](repeating: 0, count: 16)
        let a = try encode([.text("a"), .id(ff)])
        for longer in ["a\u{0}", "a\u{0}b", "a\u{1}", "ab"] {
            #expect(KeyOrder.less(a, try encode([.text(longer), .id(zero)])), "\(longer)")
            #expect(!(try encode([.text(longer), .id(zero)])).starts(with: try encode([.text("a")])))
        }
    }

    @Test func longValuesAreCutToAPrefixAndAHash() throws {
        let long = String(repeating: "x", count: 100)
        let (a, cutA) = try TupleKey.encoding(of: .text(long))
        let (b, _) = try TupleKey.encoding(of: .text(long + "y"))
        #expect(cutA && a.count == TupleKey.cutValueLength && b.count == TupleKey.cutValueLength)
        #expect(a != b && a.prefix(64) == b.prefix(64))
        #expect(Array(a.suffix(16)) == Array(HashFunction.sha2_256.digest([0x50] + Array(long.utf8) + [0, 1]).bytes.prefix(16)))
        // 64 encoded bytes stay whole; 65 are cut.
        let (whole, cutWhole) = try TupleKey.encoding(of: .text(String(repeating: "x", count: 61)))
        let (over, cutOver) = try TupleKey.encoding(of: .text(String(repeating: "x", count: 62)))
        #expect(whole.count == 64 && !cutWhole && over.count == 80 && cutOver)
        // An uncut value is never a prefix of a cut one, and sorts by its bytes against it.
        #expect(!a.starts(with: try TupleKey.encoding(of: .text(String(repeating: "x", count: 46))).bytes))
        #expect(KeyOrder.less(try TupleKey.encoding(of: .text("x")).bytes, a))
    }

    @Test func malformedKeysAreTypedErrors() {
        let cases: [[UInt8]] = [
            [0x61],                    // text without terminator
            [0x61, 0x00],              // cut inside the terminator
            [0x61, 0x00, 0x02],        // 00 followed by neither ff nor 01
            [0xc3, 0x00, 0x01],        // not UTF-8
        ]
        for key in cases {
            var r = TupleKeyReader(key)
            #expect(throws: ProllyError.self, "\(Hex.encode(key))") { _ = try r.readText() }
        }
        let values: [[UInt8]] = [[], [0x30, 1, 2], [0x99], [0x50, 0x61], [0x40, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x60] + [UInt8](repeating: 0x61, count: 70)]
        for key in values {
            var r = TupleKeyReader(key)
            #expect(throws: ProllyError.self, "\(Hex.encode(key))") { _ = try r.readValue() }
        }
        var short = TupleKeyReader([1, 2, 3])
        #expect(throws: ProllyError.self) { _ = try short.readID() }
        var trailing = TupleKeyReader([0x10, 0x00])
        #expect(throws: ProllyError.self) {
            _ = try trailing.readValue()
            try trailing.finish()
        }
    }
}
