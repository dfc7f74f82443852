/// The scalar writes a single-value container and an unkeyed container share: each turns its
/// value into an ``IPLD`` scalar and hands it to `put`.
protocol IPLDScalarSink {
    /// Stores one finished value.
    mutating func put(_ value: IPLD)
    /// The coding path of the value about to be stored, for errors.
    var nextValuePath: [any CodingKey] { get }
}

extension IPLDScalarSink {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try IPLDEncodingContext.float(value, at: nextValuePath)) }
    mutating func encode(_ value: Float) throws { put(try IPLDEncodingContext.float(Double(value), at: nextValuePath)) }
    mutating func encode(_ value: Int) throws { put(.int(value)) }
    mutating func encode(_ value: Int8) throws { put(.int(value)) }
    mutating func encode(_ value: Int16) throws { put(.int(value)) }
    mutating func encode(_ value: Int32) throws { put(.int(value)) }
    mutating func encode(_ value: Int64) throws { put(.int(value)) }
    mutating func encode(_ value: UInt) throws { put(.int(value)) }
    mutating func encode(_ value: UInt8) throws { put(.int(value)) }
    mutating func encode(_ value: UInt16) throws { put(.int(value)) }
    mutating func encode(_ value: UInt32) throws { put(.int(value)) }
    mutating func encode(_ value: UInt64) throws { put(.int(value)) }
    // Int128 and UInt128 are written by each container: the stdlib's defaults for them would
    // make a default here ambiguous.
}
