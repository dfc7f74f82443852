extension IPLDInteger {
    /// `value`, or nil when it is outside CBOR's range `-2^64 ... 2^64 - 1`.
    init?(codableExactly value: some BinaryInteger) {
        // Every value in CBOR's range, and every 64-bit one, fits in an Int128.
        guard let wide = Int128(exactly: value) else { return nil }
        if wide < 0 {
            guard let argument = UInt64(exactly: -1 - wide) else { return nil }
            self.init(isNegative: true, cborArgument: argument)
        } else {
            guard let argument = UInt64(exactly: wide) else { return nil }
            self.init(isNegative: false, cborArgument: argument)
        }
    }

    /// The exact value; CBOR's whole range fits in an `Int128`.
    var int128: Int128 { isNegative ? -1 - Int128(cborArgument) : Int128(cborArgument) }
}

/// Through the IPLD bridge an `IPLDInteger` is an integer of the data model. Through other
/// coders it is the narrowest standard integer that holds it: `Int64`, else `UInt64`, else `Int128`.
extension IPLDInteger: Codable {
    public func encode(to encoder: any Encoder) throws {
        if let bridge = encoder as? IPLDEncoderImpl {
            bridge.store(.integer(self))
            return
        }
        var container = encoder.singleValueContainer()
        if let value = int64 {
            try container.encode(value)
        } else if let value = uint64 {
            try container.encode(value)
        } else {
            try container.encode(int128)
        }
    }

    public init(from decoder: any Decoder) throws {
        if let bridge = decoder as? IPLDDecoderImpl {
            self = try bridge.unboxInteger()
            return
        }
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self.init(value)
        } else if let value = try? container.decode(UInt64.self) {
            self.init(value)
        } else {
            let value = try container.decode(Int128.self)
            guard let integer = IPLDInteger(codableExactly: value) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(value) is outside DAG-CBOR's integer range -2^64 ... 2^64-1")
            }
            self = integer
        }
    }
}
