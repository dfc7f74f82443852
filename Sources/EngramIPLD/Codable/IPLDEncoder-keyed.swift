/// Writes map entries into an `EncodingNode`.
struct IPLDKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let context: IPLDEncodingContext

    private func put(_ value: IPLD, _ key: Key) { node.entries.append((key.stringValue, .value(value))) }
    private func path(_ key: some CodingKey) -> [any CodingKey] { codingPath + [key] }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(try IPLDEncodingContext.float(value, at: path(key)), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(try IPLDEncodingContext.float(Double(value), at: path(key)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        put(try IPLDEncodingContext.integer(value, at: path(key)), key)
    }
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        put(try IPLDEncodingContext.integer(value, at: path(key)), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.entries.append((key.stringValue, try context.slot(for: value, at: path(key))))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode()
        child.kind = .map
        node.entries.append((key.stringValue, .node(child)))
        return KeyedEncodingContainer(IPLDKeyedEncodingContainer<NestedKey>(node: child, codingPath: path(key), context: context))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingNode()
        child.kind = .list
        node.entries.append((key.stringValue, .node(child)))
        return IPLDUnkeyedEncodingContainer(node: child, codingPath: path(key), context: context)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: IPLDCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: some CodingKey) -> any Encoder {
        let child = EncodingNode()
        node.entries.append((key.stringValue, .node(child)))
        return IPLDEncoderImpl(node: child, codingPath: path(key), context: context)
    }
}
