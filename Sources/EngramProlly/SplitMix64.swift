/// SplitMix64, the seeded generator behind the golden trees of `Fixtures/prolly` and the
/// benchmarks (SPEC.md 6.7): simple enough to re-implement anywhere, so the vectors can be
/// reproduced from their definition.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state (the seed before the first output).
    public var state: UInt64

    /// A generator started at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next `count` bytes: successive outputs, each written big-endian, cut to `count`.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 7)
        while out.count < count {
            let word = next()
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        out.removeSubrange(count...)
        return out
    }

    /// `count` entries in generation order: a 16-byte key then a 36-byte value each.
    public static func entries(count: Int, seed: UInt64 = 42) -> [ProllyEntry] {
        var generator = SplitMix64(seed: seed)
        var out: [ProllyEntry] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let key = generator.bytes(16)
            out.append(ProllyEntry(key: key, value: .bytes(generator.bytes(36))))
        }
        return out
    }
}
