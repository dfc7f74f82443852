import EngramIPLD

/// A map entry an older reader does not know, kept as its raw DAG-CBOR value so it is
/// re-emitted byte for byte.
public struct UnknownField: Hashable, Sendable {
    /// The map key.
    public var key: String
    /// The value's canonical DAG-CBOR bytes.
    public var value: [UInt8]

    /// A field `key` with the DAG-CBOR bytes `value`.
    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// Writes an object map: known fields in canonical order, unknown fields merged in at their
/// canonical place.
struct ObjectWriter {
    var writer: DAGCBORWriter
    let unknown: [UnknownField]
    var next = 0

    init(knownCount: Int, unknown: [UnknownField], capacity: Int = 128) {
        writer = DAGCBORWriter(capacity: capacity)
        self.unknown = unknown
        writer.beginMap(count: knownCount + unknown.count)
    }

    /// Writes the key of the next known field, after any unknown field that sorts before it.
    mutating func key(_ key: String) {
        while next < unknown.count && IPLDMap.keyPrecedes(unknown[next].key, key) { flushOne() }
        writer.writeString(key)
    }

    mutating func flushOne() {
        writer.writeString(unknown[next].key)
        writer.bytes += unknown[next].value
        next += 1
    }

    /// Writes `_kind`, `label` and `props`, the fields nodes and edges end with, in that
    /// (canonical) order.
    mutating func kindLabelProps(kind: String, label: String, props: IPLDMap) throws(GraphError) {
        key("_kind")
        writer.writeString(kind)
        key("label")
        writer.writeString(label)
        key("props")
        do { try writer.write(.map(props)) } catch { throw .invalidObject(kind: kind, cid: nil, reason: .cause(error)) }
    }

    /// The finished map's bytes.
    mutating func finish() -> [UInt8] {
        while next < unknown.count { flushOne() }
        return writer.bytes
    }
}

/// Reads an object map's keys in order, checking canonical order and the `_kind`.
struct ObjectReader {
    var previous: String?
    var unknown: [UnknownField] = []

    /// Reads the next key, checking it follows the previous one canonically.
    mutating func key(_ r: inout DAGCBORReader) throws(DAGCBORError) -> String {
        let at = r.offset
        let key = try r.readString()
        if let previous {
            // Bytes, not String ==: NFC and NFD spellings are different keys (SPEC 2).
            if previous.utf8.elementsEqual(key.utf8) { throw DAGCBORError(.duplicateMapKey, at: at) }
            if !IPLDMap.keyPrecedes(previous, key) { throw DAGCBORError(.mapKeysOutOfOrder, at: at) }
        }
        previous = key
        return key
    }

    /// Keeps the value of an unknown key, validated, as raw bytes.
    mutating func keep(_ key: String, _ r: inout DAGCBORReader) throws(DAGCBORError) {
        let raw = try r.readRawValue()
        unknown.append(UnknownField(key: key, value: Array(raw)))
    }

    /// Checks the `_kind` value.
    static func kind(_ r: inout DAGCBORReader, expected: String) throws(DAGCBORError) {
        let at = r.offset
        let kind = try r.readString()
        guard kind == expected else { throw DAGCBORError(.valueOutOfRange("_kind is '\(kind)', not '\(expected)'"), at: at) }
    }

    /// Reads a 16-byte id.
    static func id(_ r: inout DAGCBORReader, field: String) throws(DAGCBORError) -> EntityID {
        let at = r.offset
        let bytes = try r.readBytes()
        guard let id = EntityID(bytes: bytes) else {
            throw DAGCBORError(.valueOutOfRange("\(field) is \(bytes.count) bytes, not 16"), at: at)
        }
        return id
    }

    /// Reads a map of properties.
    static func props(_ r: inout DAGCBORReader) throws(DAGCBORError) -> IPLDMap {
        let at = r.offset
        guard case .map(let m) = try r.readValue() else {
            throw DAGCBORError(.unexpectedType(expected: "map", found: "other"), at: at)
        }
        return m
    }

    /// Fails naming the first missing required field.
    static func require(_ fields: [(String, Bool)], at offset: Int) throws(DAGCBORError) {
        for (name, present) in fields where !present {
            throw DAGCBORError(.valueOutOfRange("missing field \(name)"), at: offset)
        }
    }
}

/// Decodes a block as an object of `kind`, turning codec errors into ``GraphError``.
@inlinable
func decodeObject<T>(_ bytes: [UInt8], kind: String, cid: CID?, _ body: (inout DAGCBORReader) throws(DAGCBORError) -> T) throws(GraphError) -> T {
    do { return try DAGCBOR.read(bytes, body) } catch { throw .invalidObject(kind: kind, cid: cid, reason: .cause(error)) }
}
