/// Encodes `Encodable` values into the ``IPLD`` data model, as `JSONEncoder` does into JSON.
///
/// Keyed containers become maps (keys in DAG-CBOR's canonical order whatever order the type
/// writes them in; a key written twice keeps its last value), unkeyed containers lists, and
/// single values the matching kind. `CID` becomes a link, `[UInt8]` and `Data` byte strings,
/// `IPLD` and `IPLDInteger` values pass through unchanged. Optional properties that are nil are
/// left out (synthesized `Codable` uses `encodeIfPresent`); an explicit `encodeNil` is `null`.
/// Floats become float64; NaN, infinities and -0.0 are refused. See SPEC.md for the full mapping.
public struct IPLDEncoder: Sendable {
    /// Values handed to every `Encoder` the bridge makes, as `JSONEncoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// An encoder that hands `userInfo` to the types it encodes.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// The data-model value of `value`.
    /// Throws `EncodingError.invalidValue` naming the coding path of anything with no IPLD form.
    public func encode<T: Encodable>(_ value: T) throws -> IPLD {
        let context = IPLDEncodingContext(userInfo: userInfo)
        if let direct = try context.intercept(value, at: []) {
            return direct
        }
        let root = EncodingNode()
        try value.encode(to: IPLDEncoderImpl(node: root, codingPath: [], context: context))
        if let error = context.error { throw error }
        guard root.kind != .empty else {
            throw IPLDEncodingContext.invalid(value, at: [], "top-level \(T.self) did not encode any value")
        }
        return root.finish()
    }
}

/// State shared by every encoder and container of one `encode` call.
final class IPLDEncodingContext {
    let userInfo: [CodingUserInfoKey: Any]
    /// The first misuse of the container API (which cannot throw where it happens), thrown at the end.
    private(set) var error: EncodingError?

    init(userInfo: [CodingUserInfoKey: any Sendable]) {
        self.userInfo = userInfo
    }

    func record(_ value: Any, at path: [any CodingKey], _ reason: String) {
        if error == nil { error = Self.invalid(value, at: path, reason) }
    }

    /// The value of types the bridge writes itself rather than through their `encode(to:)`,
    /// or nil for any other type. Compares types, never casts values: `[T]() as? [UInt8]` succeeds.
    func intercept<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]) throws -> IPLD? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .integer(IPLDInteger(value as! Int)) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Double.self { return try Self.float(value as! Double, at: path()) }
        if T.self == CID.self { return .link(value as! CID) }
        if T.self == [UInt8].self { return .bytes(value as! [UInt8]) }
        if T.self == IPLD.self { return (value as! IPLD) }
        if T.self == IPLDInteger.self { return .integer(value as! IPLDInteger) }
        if let bytes = foundationDataBytes(value) { return .bytes(bytes) }
        return nil
    }

    /// The slot for a value stored in a map entry or list element. Paths are autoclosures:
    /// most values never need theirs, and building one allocates.
    func slot<T: Encodable>(for value: T, at path: @autoclosure () -> [any CodingKey]) throws -> EncodingSlot {
        if let direct = try intercept(value, at: path()) { return .value(direct) }
        let node = EncodingNode()
        try value.encode(to: IPLDEncoderImpl(node: node, codingPath: path(), context: self))
        return node.kind == .value ? .value(node.value) : .node(node)
    }

    /// A float64, refusing what DAG-CBOR cannot hold.
    static func float(_ value: Double, at path: @autoclosure () -> [any CodingKey]) throws -> IPLD {
        guard value.isFinite else { throw invalid(value, at: path(), "\(value) is not finite; DAG-CBOR has no NaN or infinity") }
        guard !(value == 0 && value.sign == .minus) else { throw invalid(value, at: path(), "-0.0 has no DAG-CBOR form") }
        return .float(value)
    }

    /// An integer, refusing 128-bit values outside CBOR's range.
    static func integer<I: FixedWidthInteger>(_ value: I, at path: @autoclosure () -> [any CodingKey]) throws -> IPLD {
        guard let integer = IPLDInteger(codableExactly: value) else {
            throw invalid(value, at: path(), "\(value) is outside DAG-CBOR's integer range -2^64 ... 2^64-1")
        }
        return .integer(integer)
    }

    /// The error for `value`, which has no IPLD form, its message led by the path.
    static func invalid(_ value: Any, at path: [any CodingKey], _ reason: String) -> EncodingError {
        .invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: "at \(describeCodingPath(path)): \(reason)"))
    }
}

/// The `Encoder` the bridge hands to `encode(to:)`: it writes into one node of the tree.
final class IPLDEncoderImpl: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let context: IPLDEncodingContext

    init(node: EncodingNode, codingPath: [any CodingKey], context: IPLDEncodingContext) {
        self.node = node
        self.codingPath = codingPath
        self.context = context
    }

    var userInfo: [CodingUserInfoKey: Any] { context.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(IPLDKeyedEncodingContainer<Key>(node: claim(.map), codingPath: codingPath, context: context))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        IPLDUnkeyedEncodingContainer(node: claim(.list), codingPath: codingPath, context: context)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        IPLDSingleValueEncodingContainer(encoder: self)
    }

    /// Stores a value the bridge makes itself (CID, IPLD...), called from their `encode(to:)`.
    func store(_ value: IPLD) {
        guard node.kind == .empty else {
            context.record(value, at: codingPath, "a value was already encoded here")
            return
        }
        node.kind = .value
        node.value = value
    }

    /// This node as a map or list. Asking for one kind after another was written is a bug in
    /// the type's `encode(to:)`; it is reported when `encode` returns, and the container writes nowhere.
    private func claim(_ kind: EncodingNode.Kind) -> EncodingNode {
        if node.kind == .empty { node.kind = kind }
        if node.kind == kind { return node }
        context.record(kind, at: codingPath, "asked for a \(kind) container where a \(node.kind) was already encoded")
        let detached = EncodingNode()
        detached.kind = kind
        return detached
    }
}
