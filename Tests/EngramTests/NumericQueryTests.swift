import Engram
import EngramIPLD
import EngramStore
import PropertyBased
import Testing

/// Numeric equality and range queries compare integers and floats by value (SPEC.md 7.3),
/// checked against a reference that compares an Int64 and a Double exactly, by a different
/// route (floor and remainder) than the query layer's (ceilings and the next double up).
struct NumericQueryTests {
    /// -1, 0, 1: how an integer compares with a double, exactly (neither NaN).
    static func compare(_ i: Int64, _ d: Double) -> Int {
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let floor = d.rounded(.down)
        guard let f = Int64(exactly: floor) else { return d > 0 ? -1 : 1 }
        if i < f { return -1 }
        if i > f { return 1 }
        return d > floor ? -1 : 0
    }

    /// -1, 0, 1: how two numbers (integers or floats) compare by value.
    static func compare(_ a: IPLD, _ b: IPLD) -> Int {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (x, y) = (x.int64!, y.int64!)
            return x < y ? -1 : x > y ? 1 : 0
        case (.float(let x), .float(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.integer(let x), .float(let y)): return compare(x.int64!, y)
        case (.float(let x), .integer(let y)): return -compare(y.int64!, x)
        default: fatalError("not numbers")
        }
    }

    static func isNumber(_ v: IPLD) -> Bool {
        switch v {
        case .integer, .float: true
        default: false
        }
    }

    /// Numbers near the edges: around 0 (and -0.0), halves, 2^53 (where doubles stop being
    /// exact integers), 2^63, infinities.
    static let edgeNumbers: [IPLD] = [
        .int(0), .float(0), .float(-0.0), .int(1), .float(1), .float(0.8), .float(0.5), .int(2), .float(1.5), .int(-1), .float(-0.5),
        .int(9_007_199_254_740_993), .float(9_007_199_254_740_992), .float(9_007_199_254_740_994), .int(9_007_199_254_740_992),
        .int(Int64.max), .int(Int64.min), .float(9_223_372_036_854_775_808), .float(-9_223_372_036_854_775_808),
        .int(Int64.max - 1), .float(.infinity), .float(-.infinity), .float(.greatestFiniteMagnitude),
    ]

    static func value(_ rng: inout RNG) -> IPLD {
        switch rng.next() % 5 {
        case 0: return edgeNumbers[Int(rng.next() % UInt64(edgeNumbers.count))]
        case 1: return .int(Int64(truncatingIfNeeded: rng.next() % 11) - 5)
        case 2: return .float(Double(Int64(truncatingIfNeeded: rng.next() % 21) - 10) / 4)
        case 3: return .string(rng.next() % 2 == 0 ? "1" : "caf\u{E9}")
        default: return rng.next() % 2 == 0 ? .bool(true) : .null
        }
    }

    @Test func numericQueriesMatchAReferenceComparison() async throws {
        await propertyCheck(count: 40, input: Gen<UInt64>.uint64()) { seed in
            var rng = RNG(seed: seed)
            let repo = try Repository(store: MemoryBlockStore())
            var tx = try repo.transaction()
            var stored: [EntityID: IPLD] = [:]
            for n in 0..<30 {
                let v = Self.value(&rng)
                let id = RepositoryTests.id(UInt64(n))
                tx.addNode(label: "P", props: ["w": v], id: id)
                stored[id] = v
            }
            let snapshot = try repo.snapshot(try repo.commit(tx, RepositoryTests.info()))
            for _ in 0..<12 {
                let lo: IPLD? = rng.next() % 4 == 0 ? nil : Self.edgeOrSmall(&rng)
                let hi: IPLD? = rng.next() % 4 == 0 ? nil : Self.edgeOrSmall(&rng)
                guard lo != nil || hi != nil else { continue }
                let expected = Set(stored.filter { _, v in
                    Self.isNumber(v) && (lo.map { Self.compare($0, v) <= 0 } ?? true) && (hi.map { Self.compare(v, $0) < 0 } ?? true)
                }.keys)
                var scan = try snapshot.nodes(label: "P", where: "w", from: lo, to: hi)
                let got = try scan.collect()
                #expect(Set(got) == expected, "seed \(seed): \(String(describing: lo)) ..< \(String(describing: hi))")
                #expect(got.count == Set(got).count)
                #expect(try snapshot.count(label: "P", where: "w", from: lo, to: hi) == UInt64(expected.count))

                let wanted = Self.edgeOrSmall(&rng)
                let equal = Set(stored.filter { _, v in Self.isNumber(v) && Self.compare(v, wanted) == 0 }.keys)
                var eq = try snapshot.nodes(label: "P", where: "w", equals: wanted)
                #expect(Set(try eq.collect()) == equal, "seed \(seed): == \(wanted)")
                #expect(try snapshot.count(label: "P", where: "w", equals: wanted) == UInt64(equal.count))
            }
        }
    }

    static func edgeOrSmall(_ rng: inout RNG) -> IPLD {
        if rng.next() % 2 == 0 { return edgeNumbers[Int(rng.next() % UInt64(edgeNumbers.count))] }
        return rng.next() % 2 == 0 ? .int(Int64(truncatingIfNeeded: rng.next() % 11) - 5) : .float(Double(Int64(truncatingIfNeeded: rng.next() % 21) - 10) / 4)
    }

    /// The example: 0.5 ..< 2 holds the integer 1 and the float 0.8, integers first.
    @Test func rangeHoldsIntegersAndFloats() throws {
        let repo = try Repository(store: MemoryBlockStore())
        var tx = try repo.transaction()
        let one = tx.addNode(label: "Memory", props: ["importance": 1], id: RepositoryTests.id(1))
        let eight = tx.addNode(label: "Memory", props: ["importance": 0.8], id: RepositoryTests.id(2))
        tx.addNode(label: "Memory", props: ["importance": 2], id: RepositoryTests.id(3))
        tx.addNode(label: "Memory", props: ["importance": "1"], id: RepositoryTests.id(4))
        let oneFloat = tx.addNode(label: "Memory", props: ["importance": 1.0], id: RepositoryTests.id(5))
        let s = try repo.snapshot(try repo.commit(tx, RepositoryTests.info()))
        var range = try s.nodes(label: "Memory", where: "importance", from: 0.5, to: 2)
        #expect(try range.collect() == [one, eight, oneFloat])
        var equal = try s.nodes(label: "Memory", where: "importance", equals: 1)
        #expect(try equal.collect() == [one, oneFloat])
        var text = try s.nodes(label: "Memory", where: "importance", equals: "1")
        #expect(try text.collect() == [RepositoryTests.id(4)])
        #expect(GraphSnapshot.propertyMatches(.float(1), .int(1)))
        #expect(!GraphSnapshot.propertyMatches(.string("1"), .int(1)))
    }
}
