import EngramIPLD
import EngramTestSupport
import PropertyBased
import Testing

/// Round trips and robustness of both codecs on random input.
struct CodecPropertyTests {
    static let seeds = Gen<UInt64>.uint64()

    @Test func randomValuesRoundTripThroughDAGCBOR() async {
        await propertyCheck(count: 500, input: Self.seeds) { seed in
            let value = RandomIPLD.value(seed: seed)
            let bytes = try DAGCBOR.encode(value)
            let decoded = try DAGCBOR.decode(bytes)
            #expect(decoded == value, "seed \(seed)")
            #expect(try DAGCBOR.encode(decoded) == bytes, "seed \(seed)")
        }
    }

    @Test func randomValuesRoundTripThroughDAGJSON() async {
        await propertyCheck(count: 500, input: Self.seeds) { seed in
            let value = RandomIPLD.value(seed: seed)
            let text = try DAGJSON.encode(value)
            let decoded = try DAGJSON.decode(text)
            #expect(decoded == value, "seed \(seed): \(String(decoding: text, as: UTF8.self))")
            #expect(try DAGJSON.encode(decoded) == text)
        }
    }

    /// Random bytes either decode to a value that re-encodes to exactly those bytes, or fail
    /// with a typed error. Never a crash, never a non-canonical acceptance.
    @Test func randomBytesNeverCrashTheDecoder() async {
        await propertyCheck(count: 2000, input: Gen<UInt8>.uint8().array(of: 0...64)) { bytes in
            Self.checkStrictDecode(bytes)
        }
    }

    @Test func singleByteMutationsOfValidBlocksAreCaught() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var rng = SplitMix64(seed: seed)
            let original = try DAGCBOR.encode(RandomIPLD.value(&rng, depth: 3))
            for _ in 0..<8 {
                var mutated = original
                let index = Int.random(in: 0..<mutated.count, using: &rng)
                mutated[index] = UInt8.random(in: 0...255, using: &rng)
                Self.checkStrictDecode(mutated)
                // Truncations too.
                Self.checkStrictDecode(Array(original.prefix(index)))
            }
        }
    }

    @Test func randomBytesNeverCrashTheDAGJSONDecoder() async {
        let json = Gen<UInt8>.uint8().array(of: 0...48)
        await propertyCheck(count: 2000, input: json) { (bytes) throws in
            if let value = try? DAGJSON.decode(bytes) {
                // Whatever was accepted is a value both codecs can write.
                #expect(try DAGJSON.decode(try DAGJSON.encode(value)) == value)
            }
        }
    }

    static func checkStrictDecode(_ bytes: [UInt8]) {
        do {
            let value = try DAGCBOR.decode(bytes)
            #expect(try DAGCBOR.encode(value) == bytes, "accepted non-canonical bytes \(hex(bytes))")
        } catch {
            // The decoder throws only DAGCBORError (typed throws), the expected outcome here.
            #expect(!error.description.isEmpty)
        }
    }
}
