import EngramIPLD
import Testing
@testable import EngramProlly

@Suite struct XXHash64Tests {
    @Test func publishedVectors() {
        #expect(XXHash64.hash([], seed: 0) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8), seed: 0) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8), seed: 0) == 0x44BC_2CF5_AD77_0999)
    }

    @Test func fixtureVectorsFromPythonXXHash() throws {
        let fixture = try ProllyFixtures.load("xxhash64.json")
        let vectors = try #require(fixture["vectors"]?.listValue)
        #expect(vectors.count >= 60)
        for vector in vectors {
            let input = try #require(vector["input_hex"]?.stringValue.flatMap { Hex.decode($0) })
            let seed = try #require(vector["seed"]?.int64Value)
            let expected = try #require(vector["xxh64"]?.stringValue.flatMap { UInt64($0, radix: 16) })
            #expect(XXHash64.hash(input, seed: UInt64(seed)) == expected, "input \(Hex.encode(input)) seed \(seed)")
        }
    }
}

@Suite struct ChunkerTests {
    @Test func neverFiresBelowMinimumAndAlwaysAtForcedSize() {
        var chunker = Chunker(level: 0)
        // 511 bytes of entries: under the minimum, no boundary whatever the hash.
        for i in 0..<511 {
            let fired = chunker.append(key: [UInt8(i & 0xff), UInt8(i >> 8)], width: 1)
            #expect(!fired)
        }
        var big = Chunker(level: 0)
        _ = big.append(key: [1], width: 100)
        let forced = big.append(key: [2], width: 16284)
        #expect(forced)
        #expect(big.size == 0 && big.count == 0)
    }

    @Test func branchesNeedTwoEntries() {
        var chunker = Chunker(level: 1)
        // One entry of 20000 bytes would force a leaf boundary, never a branch one.
        let first = chunker.append(key: [1], width: 20000)
        let second = chunker.append(key: [2], width: 1)
        #expect(!first && second)
    }

    @Test func ruleMatchesTheFormulaAndIsSeededByLevel() {
        var rng = SplitMix64(seed: 3)
        var fired = [0, 0]
        for level in 0..<2 {
            for _ in 0..<2000 {
                let key = rng.bytes(16)
                let s0 = UInt64(rng.next() % 8000 + 600)
                let h = XXHash64.hash(key, seed: UInt64(level))
                let s1 = s0 + 52
                let expected = (h >> 16) < (s1 * s1 * s1 * s1 - s0 * s0 * s0 * s0)
                let got = key.withUnsafeBytes { Chunker.isBoundary(key: $0, level: level, before: s0, width: 52, entries: 5) }
                #expect(got == expected)
                if got { fired[level] += 1 }
            }
        }
        #expect(fired[0] > 0 && fired[1] > 0)
    }
}
