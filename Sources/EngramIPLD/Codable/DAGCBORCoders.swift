/// Encodes `Encodable` values as canonical DAG-CBOR bytes: ``IPLDEncoder`` then ``DAGCBOR/encode(_:)``.
///
/// The same value always gives the same bytes, so the same CID, whatever order the type writes its keys in.
public struct DAGCBOREncoder: Sendable {
    /// Values handed to every `Encoder` the bridge makes.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// An encoder with no `userInfo`.
    public init() {}

    /// The DAG-CBOR bytes of `value`. Throws `EncodingError` for a value with no IPLD form
    /// (naming its coding path) and ``DAGCBORError`` when the tree breaks a codec rule
    /// (nesting deeper than the limit, a non-finite float inside an ``IPLD`` field).
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try DAGCBOR.encode(IPLDEncoder(userInfo: userInfo).encode(value))
    }
}

/// Decodes `Decodable` values from strict DAG-CBOR bytes: `DAGCBOR.decode(_:limits:)` then ``IPLDDecoder``.
public struct DAGCBORDecoder: Sendable {
    /// The size and depth limits applied to the bytes.
    public var limits: DAGCBORLimits
    /// Values handed to every `Decoder` the bridge makes.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// A decoder that refuses input beyond `limits`.
    public init(limits: DAGCBORLimits = .default) {
        self.limits = limits
    }

    /// A `T` read from `bytes`. Throws ``DAGCBORError`` when the bytes are not strict DAG-CBOR,
    /// `DecodingError` (naming the coding path) when they do not match `T`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try IPLDDecoder(userInfo: userInfo).decode(type, from: DAGCBOR.decode(bytes, limits: limits))
    }
}

/// Encodes `Encodable` values as canonical DAG-JSON: ``IPLDEncoder`` then ``DAGJSON/encode(_:maxDepth:)``.
public struct DAGJSONEncoder: Sendable {
    /// Values handed to every `Encoder` the bridge makes.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// An encoder with no `userInfo`.
    public init() {}

    /// The DAG-JSON bytes of `value`; throws `EncodingError` or ``DAGJSONError``.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try DAGJSON.encode(IPLDEncoder(userInfo: userInfo).encode(value))
    }

    /// The DAG-JSON text of `value`.
    public func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// Decodes `Decodable` values from DAG-JSON: ``DAGJSON/decode(_:limits:)`` then ``IPLDDecoder``.
public struct DAGJSONDecoder: Sendable {
    /// The size and depth limits applied to the text.
    public var limits: DAGCBORLimits
    /// Values handed to every `Decoder` the bridge makes.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// A decoder that refuses input beyond `limits`.
    public init(limits: DAGCBORLimits = .default) {
        self.limits = limits
    }

    /// A `T` read from DAG-JSON bytes; throws ``DAGJSONError`` or `DecodingError`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try IPLDDecoder(userInfo: userInfo).decode(type, from: DAGJSON.decode(bytes, limits: limits))
    }

    /// A `T` read from DAG-JSON text.
    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: Array(text.utf8))
    }
}
