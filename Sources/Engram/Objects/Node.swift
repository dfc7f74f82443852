import EngramIPLD

/// A node of the graph: an id, a label and properties (DESIGN.md 3).
///
/// Encoded as the DAG-CBOR map `{id, _kind: "node", label, props}`; keys this version does not
/// know are kept in ``unknown`` and written back byte for byte.
public struct Node: Hashable, Sendable {
    /// The node's id.
    public var id: EntityID
    /// The node's label (its type: `Person`, `Observation`).
    public var label: String
    /// Its properties.
    public var props: IPLDMap
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    /// A node (a new UUIDv7 id unless given).
    public init(id: EntityID = .uuidV7(), label: String, props: IPLDMap = IPLDMap(), unknown: [UnknownField] = []) {
        self.id = id
        self.label = label
        self.props = props
        self.unknown = unknown
    }

    static let kind = "node"

    /// The canonical DAG-CBOR bytes.
    public func encode() throws(GraphError) -> [UInt8] {
        var w = ObjectWriter(knownCount: 4, unknown: unknown)
        w.key("id")
        w.writer.writeBytes(id.bytes)
        try w.kindLabelProps(kind: Self.kind, label: label, props: props)
        return w.finish()
    }

    /// Decodes a node block (`cid` names it in errors).
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> Node {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> Node in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var id: EntityID?, label: String?, props: IPLDMap?, hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "id": id = try ObjectReader.id(&r, field: key)
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "label": label = try r.readString()
                case "props": props = try ObjectReader.props(&r)
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("id", id != nil), ("_kind", hasKind), ("label", label != nil), ("props", props != nil)], at: 0)
            return Node(id: id!, label: label!, props: props!, unknown: o.unknown)
        }
    }
}
