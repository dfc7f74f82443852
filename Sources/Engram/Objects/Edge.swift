import EngramIPLD

/// A directed, labelled edge between two nodes, named by their ids (DESIGN.md 3).
///
/// Encoded as `{id, dst, src, _kind: "edge", label, props}`; unknown keys are kept.
public struct Edge: Hashable, Sendable {
    /// The edge's id.
    public var id: EntityID
    /// The edge's label (its type: `PREFERS`, `SAID`).
    public var label: String
    /// The node it leaves.
    public var src: EntityID
    /// The node it enters.
    public var dst: EntityID
    /// Its properties.
    public var props: IPLDMap
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    /// An edge `src -label-> dst` (a new UUIDv7 id unless given).
    public init(id: EntityID = .uuidV7(), src: EntityID, label: String, dst: EntityID, props: IPLDMap = IPLDMap(),
                unknown: [UnknownField] = []) {
        self.id = id
        self.label = label
        self.src = src
        self.dst = dst
        self.props = props
        self.unknown = unknown
    }

    static let kind = "edge"

    /// The canonical DAG-CBOR bytes.
    public func encode() throws(GraphError) -> [UInt8] {
        var w = ObjectWriter(knownCount: 6, unknown: unknown)
        w.key("id")
        w.writer.writeBytes(id.bytes)
        w.key("dst")
        w.writer.writeBytes(dst.bytes)
        w.key("src")
        w.writer.writeBytes(src.bytes)
        try w.kindLabelProps(kind: Self.kind, label: label, props: props)
        return w.finish()
    }

    /// Decodes an edge block (`cid` names it in errors).
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> Edge {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> Edge in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var id: EntityID?, src: EntityID?, dst: EntityID?, label: String?, props: IPLDMap?, hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "id": id = try ObjectReader.id(&r, field: key)
                case "dst": dst = try ObjectReader.id(&r, field: key)
                case "src": src = try ObjectReader.id(&r, field: key)
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "label": label = try r.readString()
                case "props": props = try ObjectReader.props(&r)
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("id", id != nil), ("dst", dst != nil), ("src", src != nil), ("_kind", hasKind),
                                      ("label", label != nil), ("props", props != nil)], at: 0)
            return Edge(id: id!, src: src!, label: label!, dst: dst!, props: props!, unknown: o.unknown)
        }
    }
}
