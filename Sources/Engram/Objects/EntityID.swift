#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EngramIPLD

/// The 16-byte id of a node or an edge: a UUIDv7 by default, or any 16 bytes the caller chooses.
///
/// Stored as two big-endian words, so comparing ids compares their bytes.
public struct EntityID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id's first 8 bytes, big-endian.
    public let high: UInt64
    /// The id's last 8 bytes, big-endian.
    public let low: UInt64

    /// The id made of these two words.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The id made of exactly 16 bytes; nil for any other length.
    @inlinable
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// The id from its UUID text form (`8-4-4-4-12` hex digits) or 32 bare hex digits.
    public init?(_ text: some StringProtocol) {
        var utf8 = String(text)
        guard let id = utf8.withUTF8({ EntityID(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = id
    }

    /// The id from UTF-8 text: 36 characters with dashes at 8, 13, 18 and 23, or 32 hex digits.
    public init?(utf8 text: UnsafeRawBufferPointer) {
        let dashed = text.count == 36
        guard dashed || text.count == 32 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (i, c) in text.enumerated() {
            if dashed && (i == 8 || i == 13 || i == 18 || i == 23) {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(v) } else { words.1 = words.1 << 4 | UInt64(v) }
            digits += 1
        }
        self.init(high: words.0, low: words.1)
    }

    /// The 16 bytes, big-endian.
    @inlinable
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        append(to: &out)
        return out
    }

    /// Appends the 16 bytes to `out`.
    @inlinable
    public func append(to out: inout [UInt8]) {
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(s))) }
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt64(s))) }
    }

    /// Reads 16 bytes at `offset` of `bytes`.
    @inlinable
    static func read(_ bytes: [UInt8], at offset: Int) -> EntityID {
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(bytes[offset + i]) }
        for i in 8..<16 { l = l << 8 | UInt64(bytes[offset + i]) }
        return EntityID(high: h, low: l)
    }

    @inlinable
    public static func < (a: EntityID, b: EntityID) -> Bool { (a.high, a.low) < (b.high, b.low) }

    /// The UUID text form, lowercase.
    public var description: String {
        let h = Hex.encode(bytes)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-"
            + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// A new UUIDv7: 48 bits of Unix milliseconds, version 7, 74 random bits, variant 10.
    public static func uuidV7(milliseconds: UInt64 = currentMilliseconds()) -> EntityID {
        var rng = SystemRandomNumberGenerator()
        let randA = rng.next() & 0xfff
        let randB = rng.next() & 0x3fff_ffff_ffff_ffff
        return EntityID(high: (milliseconds & 0xffff_ffff_ffff) << 16 | 0x7000 | randA, low: 0x8000_0000_0000_0000 | randB)
    }

    /// Milliseconds since the Unix epoch, from the system clock (0 for a clock set before 1970).
    public static func currentMilliseconds() -> UInt64 { milliseconds(fromMicroseconds: currentMicroseconds()) }

    /// The UUIDv7 timestamp of a clock reading: a clock before 1970 gives 0 rather than a
    /// negative time, which the 48-bit unsigned field cannot hold. Ids made then still differ
    /// (74 random bits) but no longer sort by creation time.
    public static func milliseconds(fromMicroseconds microseconds: Int64) -> UInt64 {
        UInt64(clamping: microseconds / 1000)
    }
}

/// Microseconds since the Unix epoch, from the system clock (negative before 1970; a clock
/// beyond the year 294,000 reads as the largest time).
public func currentMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    let (micros, overflow) = Int64(ts.tv_sec).multipliedReportingOverflow(by: 1_000_000)
    guard !overflow else { return ts.tv_sec < 0 ? .min : .max }
    let (total, over) = micros.addingReportingOverflow(Int64(ts.tv_nsec) / 1000)
    return over ? .max : total
}
