/// Decodes `Decodable` values from the ``IPLD`` data model, as `JSONDecoder` does from JSON.
///
/// The mapping is ``IPLDEncoder``'s, read back: maps fill keyed containers (a missing key or a
/// `null` decodes an optional property as nil), lists unkeyed ones, links `CID`s, byte strings
/// `[UInt8]` and `Data`. Integers are range-checked against the requested type; an integer may
/// also be read as a floating-point number when it converts exactly. Errors are `DecodingError`s
/// whose context names the coding path.
public struct IPLDDecoder: Sendable {
    /// Values handed to every `Decoder` the bridge makes, as `JSONDecoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// A `T` read from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: IPLD) throws -> T {
        try IPLDDecoderImpl(value: value, codingPath: [], userInfo: userInfo).unbox(type)
    }
}

/// The `Decoder` the bridge hands to `init(from:)`: it reads one value of the tree, and is its
/// own single-value container.
final class IPLDDecoderImpl: Decoder, SingleValueDecodingContainer {
    let value: IPLD
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(value: IPLD, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    /// A decoder for a value below this one.
    func child(_ value: IPLD, at key: some CodingKey) -> IPLDDecoderImpl {
        IPLDDecoderImpl(value: value, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let map) = value else { throw mismatch([String: IPLD].self, expected: "a map") }
        return KeyedDecodingContainer(IPLDKeyedDecodingContainer<Key>(map: map, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let items) = value else { throw mismatch([IPLD].self, expected: "a list") }
        return IPLDUnkeyedDecodingContainer(items: items, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Single values

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(type, expected: "a bool") }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw mismatch(type, expected: "text") }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double { try unboxFloat(type) }
    func decode(_ type: Float.Type) throws -> Float { try unboxFloat(type) }
    func decode(_ type: Int.Type) throws -> Int { try unboxFixedWidth(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unboxFixedWidth(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unboxFixedWidth(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unboxFixedWidth(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unboxFixedWidth(type) }
    func decode(_ type: Int128.Type) throws -> Int128 { try unboxFixedWidth(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try unboxFixedWidth(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxFixedWidth(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxFixedWidth(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxFixedWidth(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxFixedWidth(type) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try unboxFixedWidth(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }
}
