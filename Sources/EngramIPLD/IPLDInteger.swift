/// An integer in CBOR's range, `-2^64 ... 2^64 - 1`: a sign and a 64-bit magnitude, stored the
/// way CBOR stores it (a negative value `v` as `-1 - v`).
public struct IPLDInteger: Hashable, Sendable {
    /// True for values below zero.
    public let isNegative: Bool
    /// For non-negative values, the value; for negative ones, `-1 - value` (CBOR's argument).
    public let cborArgument: UInt64

    /// The integer CBOR writes as major type 0 or 1 with `argument`.
    @inlinable
    public init(isNegative: Bool, cborArgument: UInt64) {
        self.isNegative = isNegative
        self.cborArgument = cborArgument
    }

    /// Exactly `value`, which must be in range (any `Int`, `Int64` or `UInt64` is).
    @inlinable
    public init(_ value: some BinaryInteger) {
        if value < 0 {
            isNegative = true
            cborArgument = UInt64(-1 - Int64(value))
        } else {
            isNegative = false
            cborArgument = UInt64(value)
        }
    }

    /// The value as an `Int64`, or nil when it does not fit.
    @inlinable
    public var int64: Int64? {
        if isNegative {
            return cborArgument <= UInt64(Int64.max) ? -1 - Int64(cborArgument) : nil
        }
        return cborArgument <= UInt64(Int64.max) ? Int64(cborArgument) : nil
    }

    /// The value as a `UInt64`, or nil when it is negative.
    @inlinable
    public var uint64: UInt64? { isNegative ? nil : cborArgument }

    /// The value as a `Double` (rounded for magnitudes above 2^53).
    public var doubleValue: Double { isNegative ? -1 - Double(cborArgument) : Double(cborArgument) }
}

extension IPLDInteger: Comparable {
    public static func < (a: IPLDInteger, b: IPLDInteger) -> Bool {
        switch (a.isNegative, b.isNegative) {
        case (true, false): true
        case (false, true): false
        case (false, false): a.cborArgument < b.cborArgument
        case (true, true): a.cborArgument > b.cborArgument
        }
    }
}

extension IPLDInteger: CustomStringConvertible, LosslessStringConvertible {
    /// Decimal text, exact across the whole range.
    public var description: String {
        guard isNegative else { return String(cborArgument) }
        // -1 - argument; done on the magnitude so that -2^64 prints exactly.
        if cborArgument == .max { return "-18446744073709551616" }
        return "-" + String(cborArgument + 1)
    }

    /// Parses decimal text (an optional `-` then digits, no leading `+`), nil when out of range.
    public init?(_ text: String) {
        var utf8 = Substring(text).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty else { return nil }
        if negative, String(Substring(utf8)) == "18446744073709551616" {
            self.init(isNegative: true, cborArgument: .max)
            return
        }
        guard let magnitude = UInt64(String(Substring(utf8))) else { return nil }
        if negative {
            guard magnitude > 0 else {
                self.init(isNegative: false, cborArgument: 0)
                return
            }
            self.init(isNegative: true, cborArgument: magnitude - 1)
        } else {
            self.init(isNegative: false, cborArgument: magnitude)
        }
    }
}
