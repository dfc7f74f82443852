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

    /// A decoder that hands `userInfo` to the types it decodes.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// A `T` read from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: IPLD) throws -> T {
        try IPLDDecoderImpl(value: value, userInfo: userInfo).unbox(type)
    }
}

/// The `Decoder` the bridge hands to `init(from:)`: it reads one value of the tree, and is its
/// own single-value container.
final class IPLDDecoderImpl: Decoder, SingleValueDecodingContainer {
    /// How this decoder's value hangs below its parent's. A list position is kept as an `Int`
    /// so that reading an element allocates no key.
    enum Step {
        case key(any CodingKey)
        case index(Int)
    }

    let value: IPLD
    let userInfo: [CodingUserInfoKey: Any]
    private let parent: IPLDDecoderImpl?
    private let step: Step?

    init(value: IPLD, userInfo: [CodingUserInfoKey: Any]) {
        self.value = value
        self.userInfo = userInfo
        self.parent = nil
        self.step = nil
    }

    private init(value: IPLD, parent: IPLDDecoderImpl, step: Step) {
        self.value = value
        self.userInfo = parent.userInfo
        self.parent = parent
        self.step = step
    }

    /// Built on demand (errors, `codingPath` calls): most values never need it.
    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var decoder: IPLDDecoderImpl? = self
        while let current = decoder, let step = current.step {
            switch step {
            case .key(let key): keys.append(key)
            case .index(let index): keys.append(IPLDCodingKey(index: index))
            }
            decoder = current.parent
        }
        return keys.reversed()
    }

    /// A decoder for a value below this one.
    func child(_ value: IPLD, at key: some CodingKey) -> IPLDDecoderImpl {
        IPLDDecoderImpl(value: value, parent: self, step: .key(key))
    }

    /// A decoder for a list element.
    func child(_ value: IPLD, index: Int) -> IPLDDecoderImpl {
        IPLDDecoderImpl(value: value, parent: self, step: .index(index))
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
