import EngramIPLD
// One seeded generator for tests, benchmarks and the golden vectors (SPEC.md 6.7).
@_exported import struct EngramProlly.SplitMix64

/// Random IPLD values covering every kind and the edges of each (integer extremes, subnormal
/// floats, empty and non-ASCII text, links with several codecs and hashes).
public enum RandomIPLD {
    public static func value(seed: UInt64, maxDepth: Int = 4) -> IPLD {
        var rng = SplitMix64(seed: seed)
        return value(&rng, depth: maxDepth)
    }

    public static func value(_ rng: inout SplitMix64, depth: Int) -> IPLD {
        let kinds = depth > 0 ? 9 : 7
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(integer(&rng))
        case 3: return .float(float(&rng))
        case 4: return .string(text(&rng))
        case 5: return .bytes((0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 6: return .link(link(&rng))
        case 7: return .list((0..<Int.random(in: 0..<6, using: &rng)).map { _ in value(&rng, depth: depth - 1) })
        default:
            var map = IPLDMap()
            for _ in 0..<Int.random(in: 0..<6, using: &rng) {
                var key = text(&rng)
                if key == "/" { key = "slash" }  // DAG-JSON reserves "/"
                map[key] = value(&rng, depth: depth - 1)
            }
            return .map(map)
        }
    }

    public static func integer(_ rng: inout SplitMix64) -> IPLDInteger {
        let edges: [UInt64] = [0, 1, 23, 24, 255, 256, 65535, 65536, 1 << 32 - 1, 1 << 32, .max, .max - 1]
        let magnitude = Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : rng.next() >> UInt64.random(in: 0..<64, using: &rng)
        return IPLDInteger(isNegative: Bool.random(using: &rng), cborArgument: magnitude)
    }

    public static func float(_ rng: inout SplitMix64) -> Double {
        let specials: [Double] = [0, 1, -1, 0.5, 1.1, 1e-323, -1e-323, 1e21, 1e-7, 123456789.0, .greatestFiniteMagnitude, -.leastNormalMagnitude]
        if Bool.random(using: &rng) { return specials.randomElement(using: &rng)! }
        while true {
            let d = Double(bitPattern: rng.next())
            if d.isFinite && !(d == 0 && d.sign == .minus) { return d }
        }
    }

    public static func text(_ rng: inout SplitMix64) -> String {
        let alphabet: [String] = ["a", "b", "z", "0", " ", "\"", "\\", "\n", "\u{1}", "é", "e\u{301}", "水", "𐅑", "/", "\u{7f}"]
        return (0..<Int.random(in: 0..<8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    public static func link(_ rng: inout SplitMix64) -> CID {
        let payload = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return CID(hashing: payload, codec: .dagCBOR)
        case 1: return CID(hashing: payload, codec: .raw, function: .blake2b_256)
        case 2: return try! CID(v0: Multihash(hashing: payload, with: .sha2_256))
        default: return CID(codec: .raw, multihash: try! .identity(payload))
        }
    }
}
