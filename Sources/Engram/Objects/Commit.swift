import EngramIPLD

/// One state of the graph: the roots of its trees, its parents and who made it (DESIGN.md 3).
///
/// Encoded as `{time, _kind: "commit", agent?, edges, nodes, author, indexes, message, parents,
/// signature?}`; unknown keys are kept.
public struct Commit: Hashable, Sendable {
    /// The commits this one follows: none for a first commit, two for a merge.
    public var parents: [CID]
    /// The root of the nodes tree (node id -> link to the node).
    public var nodes: CID
    /// The root of the edges tree (edge id -> link to the edge).
    public var edges: CID
    /// The link to the ``IndexSet``.
    public var indexes: CID
    /// Who made the commit (a person, a program).
    public var author: String
    /// Microseconds since the Unix epoch.
    public var time: Int64
    /// Why.
    public var message: String
    /// The agent that made the commit, if any.
    public var agent: String?
    /// A signature over the commit, if any (any IPLD value; not interpreted here).
    public var signature: IPLD?
    /// Fields written by a newer version, kept as they were.
    public var unknown: [UnknownField]

    /// A commit object with these fields; ``encode()`` makes its block.
    public init(parents: [CID], nodes: CID, edges: CID, indexes: CID, author: String, time: Int64, message: String,
                agent: String? = nil, signature: IPLD? = nil, unknown: [UnknownField] = []) {
        self.parents = parents
        self.nodes = nodes
        self.edges = edges
        self.indexes = indexes
        self.author = author
        self.time = time
        self.message = message
        self.agent = agent
        self.signature = signature
        self.unknown = unknown
    }

    static let kind = "commit"

    /// The canonical DAG-CBOR bytes.
    public func encode() throws(GraphError) -> [UInt8] {
        let known = 8 + (agent == nil ? 0 : 1) + (signature == nil ? 0 : 1)
        var w = ObjectWriter(knownCount: known, unknown: unknown, capacity: 256)
        w.key("time")
        w.writer.writeInt(time)
        w.key("_kind")
        w.writer.writeString(Self.kind)
        if let agent {
            w.key("agent")
            w.writer.writeString(agent)
        }
        w.key("edges")
        w.writer.writeLink(edges)
        w.key("nodes")
        w.writer.writeLink(nodes)
        w.key("author")
        w.writer.writeString(author)
        w.key("indexes")
        w.writer.writeLink(indexes)
        w.key("message")
        w.writer.writeString(message)
        w.key("parents")
        w.writer.beginList(count: parents.count)
        for p in parents { w.writer.writeLink(p) }
        if let signature {
            w.key("signature")
            do { try w.writer.write(signature) } catch { throw .invalidObject(kind: Self.kind, cid: nil, reason: .cause(error)) }
        }
        return w.finish()
    }

    /// Decodes a commit block (`cid` names it in errors).
    public static func decode(_ bytes: [UInt8], cid: CID? = nil) throws(GraphError) -> Commit {
        try decodeObject(bytes, kind: kind, cid: cid) { (r) throws(DAGCBORError) -> Commit in
            let n = try r.readMapHeader()
            var o = ObjectReader()
            var time: Int64?, agent: String?, edges: CID?, nodes: CID?, author: String?, indexes: CID?
            var message: String?, parents: [CID]?, signature: IPLD?, hasKind = false
            for _ in 0..<n {
                let key = try o.key(&r)
                switch key {
                case "time": time = try r.readInt64()
                case "_kind": try ObjectReader.kind(&r, expected: kind); hasKind = true
                case "agent": agent = try r.readString()
                case "edges": edges = try r.readLink()
                case "nodes": nodes = try r.readLink()
                case "author": author = try r.readString()
                case "indexes": indexes = try r.readLink()
                case "message": message = try r.readString()
                case "parents":
                    let count = try r.readListHeader()
                    var list: [CID] = []
                    for _ in 0..<count { list.append(try r.readLink()) }
                    parents = list
                case "signature": signature = try r.readValue()
                default: try o.keep(key, &r)
                }
            }
            try ObjectReader.require([("time", time != nil), ("_kind", hasKind), ("edges", edges != nil),
                                      ("nodes", nodes != nil), ("author", author != nil), ("indexes", indexes != nil),
                                      ("message", message != nil), ("parents", parents != nil)], at: 0)
            return Commit(parents: parents!, nodes: nodes!, edges: edges!, indexes: indexes!, author: author!, time: time!,
                          message: message!, agent: agent, signature: signature, unknown: o.unknown)
        }
    }
}
