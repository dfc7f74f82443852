import EngramIPLD
import EngramProlly

/// How one field of a node or edge changed.
public struct FieldChange: Sendable, Hashable {
    public var field: Field
    /// Nil when the field was absent.
    public var old: IPLD?
    /// Nil when the field was removed.
    public var new: IPLD?

    public init(field: Field, old: IPLD?, new: IPLD?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// One node or edge that differs between two commits.
public enum EntityChange<T: Sendable & Hashable>: Sendable, Hashable {
    case added(T)
    case removed(T)
    /// Changed, with the fields that differ (label, endpoints, each property).
    case changed(old: T, new: T, fields: [FieldChange])
}

/// What changed from one commit to another, computed from the nodes and edges tree diffs: only
/// subtrees whose CIDs differ are read.
public struct GraphDiff: Sendable, Hashable {
    public var nodes: [EntityChange<Node>] = []
    public var edges: [EntityChange<Edge>] = []

    public var isEmpty: Bool { nodes.isEmpty && edges.isEmpty }
}

extension GraphSnapshot {
    /// The differences from this state to `other`, in id order.
    public func diff(to other: GraphSnapshot) throws(GraphError) -> GraphDiff {
        var out = GraphDiff()
        out.nodes = try Self.entityDiff(nodes, other.nodes) { (b, c) throws(GraphError) in try Node.decode(b, cid: c) }
        out.edges = try Self.entityDiff(edges, other.edges) { (b, c) throws(GraphError) in try Edge.decode(b, cid: c) }
        return out
    }

    static func entityDiff<T: FieldMergeable & Sendable & Hashable>(
        _ a: ProllyTree, _ b: ProllyTree, decode: ([UInt8], CID) throws(GraphError) -> T
    ) throws(GraphError) -> [EntityChange<T>] {
        let store = a.storage.blocks
        func load(_ v: ProllyValue?) throws(GraphError) -> T? {
            guard case .link(let c)? = v else { return nil }
            return try decode(try store.fetchBlock(c), c)
        }
        var out: [EntityChange<T>] = []
        var it = try GraphError.tree { () throws(ProllyError) in try a.diff(to: b) }
        while let d = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            if let change = change(from: try load(d.change.old), to: try load(d.change.new)) { out.append(change) }
        }
        return out
    }

    /// How an entity changed from `old` to `new` (nil: absent), or nil when neither exists.
    static func change<T: FieldMergeable & Sendable & Hashable>(from old: T?, to new: T?) -> EntityChange<T>? {
        switch (old, new) {
        case (nil, let n?): return .added(n)
        case (let o?, nil): return .removed(o)
        case (let o?, let n?):
            let of = o.fields, nf = n.fields
            let fields = Set(of.keys).union(nf.keys).sorted().compactMap { f in
                of[f] == nf[f] ? nil : FieldChange(field: f, old: of[f], new: nf[f])
            }
            return .changed(old: o, new: n, fields: fields)
        default: return nil
        }
    }
}

extension Repository {
    /// What changed from commit `a` to commit `b`.
    public func diff(_ a: CID, _ b: CID) throws(GraphError) -> GraphDiff {
        try snapshot(a).diff(to: try snapshot(b))
    }

    /// What commit `cid` changed: the diff from its first parent, or from the empty graph for a
    /// first commit.
    public func diff(introducedBy cid: CID) throws(GraphError) -> GraphDiff {
        let parent = try commit(cid).parents.first
        return try snapshot(parent).diff(to: try snapshot(cid))
    }
}
