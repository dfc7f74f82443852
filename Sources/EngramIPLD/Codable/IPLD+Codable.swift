/// Through the IPLD bridge an `IPLD` value passes through unchanged. Through other coders
/// (`JSONEncoder`...) it takes DAG-JSON's shape: a link is `{"/": "<cid>"}`, bytes are
/// `{"/": {"bytes": "<base64>"}}`, and decoding recognizes those two shapes. Other coders do not
/// tell integers from floats the way IPLD does, so there a whole number may come back as an integer.
extension IPLD: Codable {
    public func encode(to encoder: any Encoder) throws {
        if let bridge = encoder as? IPLDEncoderImpl {
            bridge.store(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            try value.encode(to: encoder)
        case .float(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .bytes(let value):
            var slash = encoder.container(keyedBy: IPLDCodingKey.self)
            var inner = slash.nestedContainer(keyedBy: IPLDCodingKey.self, forKey: Self.slashKey)
            try inner.encode(Multibase.base64.encodeWithoutPrefix(value), forKey: Self.bytesKey)
        case .link(let cid):
            var slash = encoder.container(keyedBy: IPLDCodingKey.self)
            try slash.encode(cid.description, forKey: Self.slashKey)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .map(let map):
            var container = encoder.container(keyedBy: IPLDCodingKey.self)
            for (key, value) in map { try container.encode(value, forKey: IPLDCodingKey(stringValue: key)) }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let bridge = decoder as? IPLDDecoderImpl {
            self = bridge.value
            return
        }
        if let map = try? decoder.container(keyedBy: IPLDCodingKey.self) {
            self = try Self.decodeMap(map)
        } else if var list = try? decoder.unkeyedContainer() {
            var items: [IPLD] = []
            while !list.isAtEnd { items.append(try list.decode(IPLD.self)) }
            self = .list(items)
        } else {
            self = try Self.decodeScalar(decoder.singleValueContainer())
        }
    }

    private static let slashKey = IPLDCodingKey(stringValue: "/")
    private static let bytesKey = IPLDCodingKey(stringValue: "bytes")

    /// A map, or a link or bytes in DAG-JSON's shape.
    private static func decodeMap(_ map: KeyedDecodingContainer<IPLDCodingKey>) throws -> IPLD {
        let keys = map.allKeys
        if keys.count == 1, keys[0].stringValue == "/" {
            if let text = try? map.decode(String.self, forKey: slashKey) {
                do { return .link(try CID(string: text)) } catch {
                    throw DecodingError.dataCorruptedError(forKey: slashKey, in: map, debugDescription: "invalid CID: \(error)")
                }
            }
            let inner = try map.nestedContainer(keyedBy: IPLDCodingKey.self, forKey: slashKey)
            let text = try inner.decode(String.self, forKey: bytesKey)
            do { return .bytes(try Multibase.base64.decodeWithoutPrefix(text)) } catch {
                throw DecodingError.dataCorruptedError(forKey: bytesKey, in: inner, debugDescription: "invalid base64: \(error)")
            }
        }
        var result = IPLDMap()
        for key in keys { result[key.stringValue] = try map.decode(IPLD.self, forKey: key) }
        return .map(result)
    }

    /// Null, bool, integer, float or text, tried in that order.
    private static func decodeScalar(_ container: any SingleValueDecodingContainer) throws -> IPLD {
        if container.decodeNil() { return .null }
        if let value = try? container.decode(Bool.self) { return .bool(value) }
        if let value = try? container.decode(IPLDInteger.self) { return .integer(value) }
        if let value = try? container.decode(Double.self) {
            guard value.isFinite, !(value == 0 && value.sign == .minus) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(value) has no IPLD form")
            }
            return .float(value)
        }
        if let value = try? container.decode(String.self) { return .string(value) }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IPLD value")
    }
}
