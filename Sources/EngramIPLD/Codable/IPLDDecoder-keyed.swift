/// Reads the entries of a map.
struct IPLDKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let map: IPLDMap
    let decoder: IPLDDecoderImpl

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// The keys `Key` knows, in canonical order.
    var allKeys: [Key] { map.entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { map[key.stringValue] != nil }

    /// A decoder for the value at `key`; a missing key is `keyNotFound`.
    private func child(_ key: some CodingKey) throws -> IPLDDecoderImpl {
        guard let value = map[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "at \(describeCodingPath(codingPath)): no key \"\(key.stringValue)\""))
        }
        return decoder.child(value, at: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try child(key).value.isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).unboxFloat(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).unboxFloat(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).unboxFixedWidth(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).unboxFixedWidth(type) }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try child(key).unboxFixedWidth(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).unbox(type) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    /// The decoder of the `super` entry, or of null when there is none (as `JSONDecoder` does).
    func superDecoder() throws -> any Decoder { superDecoder(named: IPLDCodingKey.super) }

    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(named: key) }

    private func superDecoder(named key: some CodingKey) -> any Decoder {
        decoder.child(map[key.stringValue] ?? .null, at: key)
    }
}
