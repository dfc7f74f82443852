import EngramIPLD

/// The roots of a commit's index trees: labels, props, out and in (DESIGN.md 3, 4).
///
/// Encoded as `{in, out, _kind: "index_set", props, labels}`; unknown keys are kept.
public struct IndexSet: Hashable, Sendable {
    public var labels: CID
    public var props: CID
    public var out: CID
    public var `in`: CID
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    public init(labels: CID, props: CID, out: CID, in: CID, unknown: [UnknownField] = []) {
        self.labels = labels
        self.props = props
        self.out = out
        self.in = `in`
        self.unknown = unknown
    }

    static let kind = "index_set"

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        var w = ObjectWriter(knownCount: 5, unknown: unknown, capacity: 256)
        w.key("in")
        w.writer.writeLink(`in`)
        w.key("out")
        w.writer.writeLink(out)
        w.key("_kind")
        w.writer.writeString(Self.kind)
        w.key("props")
        w.writer.writeLink(props)
        w.key("labels")
        w.writer.writeLink(labels)
        return w.finish()
    }

    /// Decodes an index set block (`cid` names it in errors).
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> IndexSet {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> IndexSet in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var labels: CID?, props: CID?, out: CID?, inn: CID?, hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "in": inn = try r.readLink()
                case "out": out = try r.readLink()
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "props": props = try r.readLink()
                case "labels": labels = try r.readLink()
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("in", inn != nil), ("out", out != nil), ("_kind", hasKind), ("props", props != nil),
                                      ("labels", labels != nil)], at: 0)
            return IndexSet(labels: labels!, props: props!, out: out!, in: inn!, unknown: o.unknown)
        }
    }
}
