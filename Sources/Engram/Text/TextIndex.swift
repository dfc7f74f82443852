import EngramIPLD
import EngramProlly
import EngramStorage

/// The full-text postings of a graph state (SPEC.md 7.11): two Prolly trees and the
/// collection's total length, derived from the state's nodes and its ``TextIndexConfig``.
///
/// - `terms`: (text term, id node) -> the term's frequency in the node (a varint);
/// - `docs`: node id -> the node's length in terms (a varint), for nodes with at least one term;
/// - `total`: the sum of the lengths.
///
/// A commit records only the configuration; the postings are derived data, made from the
/// postings of another state by the difference between the two nodes trees (or from scratch)
/// when a search first needs them, and kept by the repository in a `text_postings` block. Every
/// part is a function of the nodes and the configuration, so the result equals a build from
/// scratch, whatever states it was derived through.
public struct TextIndex: Sendable, Equatable {
    /// (term, node id) -> the term's frequency in the node.
    public var terms: ProllyTree
    /// Node id -> the node's length in terms.
    public var docs: ProllyTree
    /// The sum of every document's length.
    public var totalLength: UInt64
    public var config: TextIndexConfig
    /// The ``TextTokenizer/version`` the terms were made with.
    public var tokenizerVersion: Int
    /// The root of the nodes tree these postings were derived from.
    public var nodes: CID
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    public init(terms: ProllyTree, docs: ProllyTree, totalLength: UInt64, config: TextIndexConfig, nodes: CID,
                tokenizerVersion: Int = TextTokenizer.version, unknown: [UnknownField] = []) {
        self.terms = terms
        self.docs = docs
        self.totalLength = totalLength
        self.config = config
        self.nodes = nodes
        self.tokenizerVersion = tokenizerVersion
        self.unknown = unknown
    }

    static let kind = "text_postings"

    /// Whether these are the current tokenizer's postings of nodes tree `nodes` under `config`.
    func derives(_ nodes: CID, _ config: TextIndexConfig) -> Bool {
        self.nodes == nodes && self.config == config && tokenizerVersion == TextTokenizer.version
    }

    /// The same index read through `storage`.
    func moved(to storage: ProllyStorage) -> TextIndex {
        var m = self
        m.terms = ProllyTree(root: terms.root, storage: storage)
        m.docs = ProllyTree(root: docs.root, storage: storage)
        return m
    }

    /// The `text_postings` block, hashed with the trees' hash function.
    var block: Block {
        let bytes = encode()
        return Block(unchecked: CID(hashing: bytes, codec: .dagCBOR, function: terms.storage.hashFunction), bytes: bytes)
    }

    /// The configuration's `text_index` block, which the postings block links.
    var configBlock: Block { config.block(hashedWith: terms.storage.hashFunction) }

    /// The canonical DAG-CBOR bytes:
    /// `{docs, _kind, nodes, terms, total, config, tokenizer}`.
    public func encode() -> [UInt8] {
        var w = ObjectWriter(knownCount: 7, unknown: unknown, capacity: 256)
        w.key("docs")
        w.writer.writeLink(docs.root)
        w.key("_kind")
        w.writer.writeString(Self.kind)
        w.key("nodes")
        w.writer.writeLink(nodes)
        w.key("terms")
        w.writer.writeLink(terms.root)
        w.key("total")
        w.writer.writeUInt(totalLength)
        w.key("config")
        w.writer.writeLink(configBlock.cid)
        w.key("tokenizer")
        w.writer.writeUInt(UInt64(clamping: tokenizerVersion))
        return w.finish()
    }

    /// Decodes a `text_postings` block whose trees (and configuration block) live in `storage`.
    public static func decode(_ bytes: [UInt8], cid: CID? = nil, storage: ProllyStorage) throws(GraphError) -> TextIndex {
        let fields = try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> Fields in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var f = Fields()
            var hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "docs": f.docs = try r.readLink()
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "nodes": f.nodes = try r.readLink()
                case "terms": f.terms = try r.readLink()
                case "total":
                    let at = r.offset
                    let t = try r.readUInt64()
                    guard t <= UInt64(Int64.max) else { throw DAGCBORError(.valueOutOfRange("total beyond 2^63 - 1"), at: at) }
                    f.total = t
                case "config": f.config = try r.readLink()
                case "tokenizer":
                    let at = r.offset
                    guard let v = Int(exactly: try r.readUInt64()), v >= 1 else {
                        throw DAGCBORError(.valueOutOfRange("tokenizer version must be at least 1"), at: at)
                    }
                    f.version = v
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("docs", f.docs != nil), ("_kind", hasKind), ("nodes", f.nodes != nil), ("terms", f.terms != nil),
                                      ("total", f.total != nil), ("config", f.config != nil), ("tokenizer", f.version != nil)],
                                     at: 0)
            f.unknown = o.unknown
            return f
        }
        guard let docs = fields.docs, let nodes = fields.nodes, let terms = fields.terms, let total = fields.total,
              let configCID = fields.config, let version = fields.version else {
            throw .invalidObject(kind: kind, cid: cid, reason: "missing field")
        }
        let (config, _) = try TextIndexConfig.decode(try storage.blocks.fetchBlock(configCID), cid: configCID)
        return TextIndex(terms: ProllyTree(root: terms, storage: storage), docs: ProllyTree(root: docs, storage: storage),
                         totalLength: total, config: config, nodes: nodes, tokenizerVersion: version, unknown: fields.unknown)
    }

    /// The fields of a block, before the configuration is read.
    private struct Fields {
        var docs: CID?, nodes: CID?, terms: CID?, total: UInt64?, config: CID?, version: Int?
        var unknown: [UnknownField] = []
    }
}
