/// Appends list elements to an `EncodingNode`.
struct IPLDUnkeyedEncodingContainer: UnkeyedEncodingContainer, IPLDScalarSink {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let context: IPLDEncodingContext

    var count: Int { node.items.count }

    func put(_ value: IPLD) { node.items.append(.value(value)) }
    /// The path of the element about to be appended.
    var nextValuePath: [any CodingKey] { codingPath + [IPLDCodingKey(index: node.items.count)] }

    mutating func encode(_ value: Int128) throws { put(try IPLDEncodingContext.integer(value, at: nextValuePath)) }
    mutating func encode(_ value: UInt128) throws { put(try IPLDEncodingContext.integer(value, at: nextValuePath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.items.append(try context.slot(for: value, at: nextValuePath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextValuePath
        let child = EncodingNode()
        child.kind = .map
        node.items.append(.node(child))
        return KeyedEncodingContainer(IPLDKeyedEncodingContainer<NestedKey>(node: child, codingPath: path, context: context))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextValuePath
        let child = EncodingNode()
        child.kind = .list
        node.items.append(.node(child))
        return IPLDUnkeyedEncodingContainer(node: child, codingPath: path, context: context)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextValuePath
        let child = EncodingNode()
        node.items.append(.node(child))
        return IPLDEncoderImpl(node: child, codingPath: path, context: context)
    }
}
