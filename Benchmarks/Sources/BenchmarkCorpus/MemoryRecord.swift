import EngramIPLD

/// An agent-memory record, the shape the corpus is made of: a node with an id, a label and
/// properties (text, importance, timestamps, tags, a source link, a short embedding).
public struct MemoryRecord: Equatable, Sendable {
    public var id: [UInt8]  // 16 bytes
    public var label: String
    public var text: String
    public var importance: Double
    public var createdMicros: Int64
    public var tags: [String]
    public var source: CID
    public var embedding: [Double]

    public init(
        id: [UInt8], label: String, text: String, importance: Double, createdMicros: Int64,
        tags: [String], source: CID, embedding: [Double]
    ) {
        self.id = id
        self.label = label
        self.text = text
        self.importance = importance
        self.createdMicros = createdMicros
        self.tags = tags
        self.source = source
        self.embedding = embedding
    }

    /// The record as a generic IPLD value.
    public var ipld: IPLD {
        [
            "_kind": "node",
            "id": .bytes(id),
            "label": .string(label),
            "props": [
                "text": .string(text),
                "importance": .float(importance),
                "created": .int(createdMicros),
                "tags": .list(tags.map(IPLD.string)),
                "source": .link(source),
                "embedding": .list(embedding.map(IPLD.float)),
            ],
        ]
    }

    /// Fast path: writes the canonical DAG-CBOR directly, keys already in canonical order.
    public func encode(into writer: inout DAGCBORWriter) throws(DAGCBORError) {
        writer.beginMap(count: 4)
        writer.writeString("id")
        writer.writeBytes(id)
        writer.writeString("_kind")
        writer.writeString("node")
        writer.writeString("label")
        writer.writeString(label)
        writer.writeString("props")
        writer.beginMap(count: 6)
        writer.writeString("tags")
        writer.beginList(count: tags.count)
        for tag in tags { writer.writeString(tag) }
        writer.writeString("text")
        writer.writeString(text)
        writer.writeString("source")
        writer.writeLink(source)
        writer.writeString("created")
        writer.writeInt(createdMicros)
        writer.writeString("embedding")
        writer.beginList(count: embedding.count)
        for x in embedding { try writer.writeFloat(x) }
        writer.writeString("importance")
        try writer.writeFloat(importance)
    }

    public func encoded() throws(DAGCBORError) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 512)
        try encode(into: &writer)
        return writer.bytes
    }

    /// Fast path: reads the known schema from borrowed bytes, no intermediate value.
    public init(reading reader: inout DAGCBORReader) throws(DAGCBORError) {
        guard try reader.readMapHeader() == 4 else { throw Self.shape(reader) }
        try Self.key("id", &reader)
        id = try reader.readByteArray()
        try Self.key("_kind", &reader)
        _ = try reader.readTextBytes()
        try Self.key("label", &reader)
        label = try reader.readString()
        try Self.key("props", &reader)
        guard try reader.readMapHeader() == 6 else { throw Self.shape(reader) }
        try Self.key("tags", &reader)
        let tagCount = try reader.readListHeader()
        tags = []
        tags.reserveCapacity(tagCount)
        for _ in 0..<tagCount { tags.append(try reader.readString()) }
        try Self.key("text", &reader)
        text = try reader.readString()
        try Self.key("source", &reader)
        source = try reader.readLink()
        try Self.key("created", &reader)
        createdMicros = try reader.readInt64()
        try Self.key("embedding", &reader)
        let dims = try reader.readListHeader()
        embedding = []
        embedding.reserveCapacity(dims)
        for _ in 0..<dims { embedding.append(try reader.readFloat()) }
        try Self.key("importance", &reader)
        importance = try reader.readFloat()
    }

    public init(decoding bytes: [UInt8]) throws(DAGCBORError) {
        self = try DAGCBOR.read(bytes) { (reader) throws(DAGCBORError) in try MemoryRecord(reading: &reader) }
    }

    static func key(_ expected: StaticString, _ reader: inout DAGCBORReader) throws(DAGCBORError) {
        let start = reader.offset
        let key = try reader.readTextBytes()
        guard key.elementsEqual(UnsafeRawBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)) else {
            throw DAGCBORError(.unexpectedType(expected: "key \(expected)", found: String(decoding: key, as: UTF8.self)), at: start)
        }
    }

    static func shape(_ reader: DAGCBORReader) -> DAGCBORError {
        DAGCBORError(.unexpectedType(expected: "memory record map", found: "another shape"), at: reader.offset)
    }
}
