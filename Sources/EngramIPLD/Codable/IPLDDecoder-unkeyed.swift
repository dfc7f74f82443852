/// Reads the elements of a list in order.
struct IPLDUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let items: [IPLD]
    let decoder: IPLDDecoderImpl
    private(set) var currentIndex = 0

    init(items: [IPLD], decoder: IPLDDecoderImpl) {
        self.items = items
        self.decoder = decoder
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// Reads the next element with `body`, moving on only when it succeeds (as `JSONDecoder` does).
    private mutating func next<T>(_ type: T.Type, _ body: (IPLDDecoderImpl) throws -> T) throws -> T {
        guard !isAtEnd else { throw endError(type) }
        let result = try body(decoder.child(items[currentIndex], index: currentIndex))
        currentIndex += 1
        return result
    }

    /// Reading past the last element.
    private func endError(_ type: Any.Type) -> DecodingError {
        DecodingError.valueNotFound(
            type,
            DecodingError.Context(
                codingPath: codingPath + [IPLDCodingKey(index: currentIndex)],
                debugDescription: "at \(describeCodingPath(codingPath)): list has only \(items.count) elements"))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw endError(Any?.self) }
        guard items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $0.unboxFloat(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $0.unboxFloat(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try next(type) { try $0.unboxFixedWidth(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) { try $0.unbox(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { $0 }
    }
}
