import EngramIPLD
import EngramProlly
import EngramStorage

/// The full-text index of a graph state (SPEC.md 7.11): two Prolly trees and the collection's
/// total length, named by a `text_index` block that the index set links to.
///
/// - `terms`: (text term, id node) -> the term's frequency in the node (a varint);
/// - `docs`: node id -> the node's length in terms (a varint), for nodes with at least one term;
/// - `total`: the sum of the lengths.
///
/// Every part is a function of the nodes and the configuration, so a commit updates it from the
/// nodes it changes and the result equals a build from scratch.
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
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    public init(terms: ProllyTree, docs: ProllyTree, totalLength: UInt64, config: TextIndexConfig,
                tokenizerVersion: Int = TextTokenizer.version, unknown: [UnknownField] = []) {
        self.terms = terms
        self.docs = docs
        self.totalLength = totalLength
        self.config = config
        self.tokenizerVersion = tokenizerVersion
        self.unknown = unknown
    }

    static let kind = "text_index"

    /// The index of no nodes, over `empty`, the empty tree of the state it belongs to (which a
    /// read-only store serves without holding it).
    static func empty(_ config: TextIndexConfig, over empty: ProllyTree) -> TextIndex {
        TextIndex(terms: empty, docs: empty, totalLength: 0, config: config)
    }

    /// The same index read through `storage`.
    func moved(to storage: ProllyStorage) -> TextIndex {
        var m = self
        m.terms = ProllyTree(root: terms.root, storage: storage)
        m.docs = ProllyTree(root: docs.root, storage: storage)
        return m
    }

    /// The block, hashed with the trees' hash function.
    var block: Block {
        let bytes = encode()
        return Block(unchecked: CID(hashing: bytes, codec: .dagCBOR, function: terms.storage.hashFunction), bytes: bytes)
    }

    /// The canonical DAG-CBOR bytes:
    /// `{docs, _kind, terms, total, tokenizer, properties, fold_diacritics}`.
    public func encode() -> [UInt8] {
        var w = ObjectWriter(knownCount: 7, unknown: unknown, capacity: 192)
        w.key("docs")
        w.writer.writeLink(docs.root)
        w.key("_kind")
        w.writer.writeString(Self.kind)
        w.key("terms")
        w.writer.writeLink(terms.root)
        w.key("total")
        w.writer.writeUInt(totalLength)
        w.key("tokenizer")
        w.writer.writeUInt(UInt64(clamping: tokenizerVersion))
        w.key("properties")
        if let names = config.properties {
            w.writer.beginList(count: names.count)
            for n in names { w.writer.writeString(n) }
        } else {
            w.writer.writeNull()
        }
        w.key("fold_diacritics")
        w.writer.writeBool(config.foldsDiacritics)
        return w.finish()
    }

    /// Decodes a `text_index` block whose trees live in `storage`.
    public static func decode(_ bytes: [UInt8], cid: CID? = nil, storage: ProllyStorage) throws(GraphError) -> TextIndex {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> TextIndex in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var docs: CID?, terms: CID?, total: UInt64?, version: Int?, fold: Bool?, hasKind = false, hasProperties = false
            var properties: [String]?
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "docs": docs = try r.readLink()
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "terms": terms = try r.readLink()
                case "total":
                    let at = r.offset
                    let t = try r.readUInt64()
                    guard t <= UInt64(Int64.max) else { throw DAGCBORError(.valueOutOfRange("total beyond 2^63 - 1"), at: at) }
                    total = t
                case "tokenizer":
                    let at = r.offset
                    guard let v = Int(exactly: try r.readUInt64()), v >= 1 else {
                        throw DAGCBORError(.valueOutOfRange("tokenizer version must be at least 1"), at: at)
                    }
                    version = v
                case "properties":
                    hasProperties = true
                    if !r.readNullIfPresent() {
                        let count = try r.readListHeader()
                        var names: [String] = []
                        for _ in 0..<count { names.append(try r.readString()) }
                        properties = names
                    }
                case "fold_diacritics": fold = try r.readBool()
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("docs", docs != nil), ("_kind", hasKind), ("terms", terms != nil), ("total", total != nil),
                                      ("tokenizer", version != nil), ("properties", hasProperties), ("fold_diacritics", fold != nil)],
                                     at: 0)
            guard let docs, let terms, let total, let version, let fold else { throw DAGCBORError(.valueOutOfRange("missing field"), at: 0) }
            let config = TextIndexConfig(properties: properties, foldsDiacritics: fold)
            // One encoding per index: the names must already be sorted and unique.
            if let properties, properties.count != config.properties?.count
                || !zip(properties, config.properties ?? []).allSatisfy({ ExactText.same($0, $1) }) {
                throw DAGCBORError(.valueOutOfRange("properties must be sorted bytewise without repeats"), at: 0)
            }
            return TextIndex(terms: ProllyTree(root: terms, storage: storage), docs: ProllyTree(root: docs, storage: storage),
                             totalLength: total, config: config, tokenizerVersion: version, unknown: o.unknown)
        }
    }
}
