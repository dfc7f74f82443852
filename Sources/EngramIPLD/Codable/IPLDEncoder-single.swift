/// Writes the one value of an encoder's node.
struct IPLDSingleValueEncodingContainer: SingleValueEncodingContainer, IPLDScalarSink {
    let encoder: IPLDEncoderImpl

    var codingPath: [any CodingKey] { encoder.codingPath }
    var nextValuePath: [any CodingKey] { encoder.codingPath }

    func put(_ value: IPLD) { encoder.store(value) }

    mutating func encode(_ value: Int128) throws { put(try IPLDEncodingContext.integer(value, at: nextValuePath)) }
    mutating func encode(_ value: UInt128) throws { put(try IPLDEncodingContext.integer(value, at: nextValuePath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let direct = try encoder.context.intercept(value, at: codingPath) {
            put(direct)
            return
        }
        guard encoder.node.kind == .empty else {
            encoder.context.record(value, at: codingPath, "a value was already encoded here")
            return
        }
        // The value fills this very node: a single-value wrapper adds no level.
        try value.encode(to: encoder)
    }
}
