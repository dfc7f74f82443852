import EngramIPLD

/// The roots of a commit's index trees: labels, props, out, in, the vectors and validity trees,
/// and the link to its full-text index (DESIGN.md 3, 4; SPEC.md 7.10-7.12).
///
/// Encoded as `{in, out, text?, _kind: "index_set", props, format, labels, vectors?, validity?}`;
/// unknown keys are kept.
public struct IndexSet: Hashable, Sendable {
    public var labels: CID
    public var props: CID
    public var out: CID
    public var `in`: CID
    /// The tuple key format of the four trees (SPEC.md 6.6, 7.3). An index set written before
    /// the field existed has none and is format 1.
    public var format: Int
    /// The `text_index` block (``TextIndex``); nil in an index set written before full-text
    /// search, which a commit over it upgrades by building the index once.
    public var text: CID?
    /// The vectors tree (SPEC.md 7.12); nil in an index set written before it existed.
    public var vectors: CID?
    /// The validity tree (SPEC.md 7.10); nil in an index set written before it existed.
    public var validity: CID?
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    public init(labels: CID, props: CID, out: CID, in: CID, format: Int = Self.currentFormat, text: CID? = nil,
                vectors: CID? = nil, validity: CID? = nil, unknown: [UnknownField] = []) {
        self.labels = labels
        self.props = props
        self.out = out
        self.in = `in`
        self.format = format
        self.text = text
        self.vectors = vectors
        self.validity = validity
        self.unknown = unknown
    }

    static let kind = "index_set"

    /// The key format this version writes: 2, text ended by `00 01`. Format 1 ended text with a
    /// bare `00`, which was not order-preserving.
    public static let currentFormat = 2
    /// The format of an index set that has no `format` field.
    public static let unversionedFormat = 1

    /// The canonical DAG-CBOR bytes.
    public func encode() -> [UInt8] {
        // Format 1 is written without the field, as it was, so old index sets re-encode unchanged.
        let versioned = format != Self.unversionedFormat
        // Optional fields are written only when present, so an older set re-encodes byte for byte.
        let known = 5 + (versioned ? 1 : 0) + (text != nil ? 1 : 0) + (vectors != nil ? 1 : 0) + (validity != nil ? 1 : 0)
        var w = ObjectWriter(knownCount: known, unknown: unknown, capacity: 256)
        w.key("in")
        w.writer.writeLink(`in`)
        w.key("out")
        w.writer.writeLink(out)
        if let text {
            w.key("text")
            w.writer.writeLink(text)
        }
        w.key("_kind")
        w.writer.writeString(Self.kind)
        w.key("props")
        w.writer.writeLink(props)
        if versioned {
            w.key("format")
            w.writer.writeInt(Int64(format))
        }
        w.key("labels")
        w.writer.writeLink(labels)
        if let vectors {
            w.key("vectors")
            w.writer.writeLink(vectors)
        }
        if let validity {
            w.key("validity")
            w.writer.writeLink(validity)
        }
        return w.finish()
    }

    /// Decodes an index set block (`cid` names it in errors).
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> IndexSet {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> IndexSet in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var labels: CID?, props: CID?, out: CID?, inn: CID?, text: CID?, vectors: CID?, validity: CID?
            var hasKind = false, format = unversionedFormat
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "in": inn = try r.readLink()
                case "out": out = try r.readLink()
                case "text": text = try r.readLink()
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "props": props = try r.readLink()
                case "format":
                    let at = r.offset
                    // Format 1 has no field, so an explicit one is 2 or more (one encoding per object).
                    guard let f = Int(exactly: try r.readInt64()), f > unversionedFormat else {
                        throw DAGCBORError(.valueOutOfRange("format must be above \(unversionedFormat)"), at: at)
                    }
                    format = f
                case "labels": labels = try r.readLink()
                case "vectors": vectors = try r.readLink()
                case "validity": validity = try r.readLink()
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("in", inn != nil), ("out", out != nil), ("_kind", hasKind), ("props", props != nil),
                                      ("labels", labels != nil)], at: 0)
            return IndexSet(labels: labels!, props: props!, out: out!, in: inn!, format: format, text: text,
                            vectors: vectors, validity: validity, unknown: o.unknown)
        }
    }
}
