import EngramIPLD

/// Which side of a merge.
public enum MergeSide: String, Sendable, Hashable {
    /// Our side: the branch merged into (or the head a commit rebased onto).
    /// Their side: the commit merged in (or the transaction's own changes).
    case ours, theirs
}

/// What a merge does with conflicts.
public enum MergePolicy: String, Sendable, Hashable {
    /// Report every conflict and change nothing.
    case fail
    /// Keep our side of each conflict.
    case ours
    /// Take their side of each conflict.
    case theirs
}

/// The node or edge a conflict is about.
public enum EntityRef: Sendable, Hashable, CustomStringConvertible {
    /// A node.
    case node(EntityID)
    /// An edge.
    case edge(EntityID)

    public var description: String {
        switch self {
        case .node(let id): "node \(id)"
        case .edge(let id): "edge \(id)"
        }
    }
}

/// One field of a node or edge, as merged.
public enum Field: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A node's or edge's label.
    case label
    /// An edge's source node.
    case src
    /// An edge's destination node.
    case dst
    /// The property with this name.
    case prop(String)
    /// A field this version does not know.
    case unknown(String)

    public var description: String {
        switch self {
        case .label: "label"
        case .src: "src"
        case .dst: "dst"
        case .prop(let k): "props.\(k)"
        case .unknown(let k): k
        }
    }

    /// By description bytes, then by case (a prop `x` and an unknown field `props.x` read alike).
    public static func < (a: Field, b: Field) -> Bool {
        let (x, y) = (a.description, b.description)
        return ExactText.same(x, y) ? a.rank < b.rank : ExactText.precedes(x, y)
    }

    // Names compare and hash as bytes: NFC and NFD spellings of a property are two fields.
    public static func == (a: Field, b: Field) -> Bool {
        switch (a, b) {
        case (.label, .label), (.src, .src), (.dst, .dst): true
        case (.prop(let x), .prop(let y)), (.unknown(let x), .unknown(let y)): ExactText.same(x, y)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rank)
        switch self {
        case .label, .src, .dst: break
        case .prop(let k), .unknown(let k): ExactText.hash(k, into: &hasher)
        }
    }

    var rank: Int {
        switch self {
        case .label: 0
        case .src: 1
        case .dst: 2
        case .prop: 3
        case .unknown: 4
        }
    }
}

/// A change on both sides of a merge (or of a rebased commit) that cannot be combined.
public struct MergeConflict: Sendable, Hashable, CustomStringConvertible {
    /// What the two sides did.
    public enum Kind: Sendable, Hashable {
        /// Both sides set a field to different values (nil: removed).
        case field(Field, base: IPLD?, ours: IPLD?, theirs: IPLD?)
        /// One side removed the entity, the other changed it.
        case removedChanged(removedBy: MergeSide)
        /// An edge kept or added by one side ends at a node the other side removed.
        case endpointRemoved(node: EntityID, removedBy: MergeSide)
    }

    /// The node or edge.
    public var entity: EntityRef
    /// What collided.
    public var kind: Kind

    /// A conflict of `kind` on `entity`.
    public init(entity: EntityRef, kind: Kind) {
        self.entity = entity
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .field(let f, let b, let o, let t):
            "\(entity) \(f): base \(Self.show(b)), ours \(Self.show(o)), theirs \(Self.show(t))"
        case .removedChanged(let side):
            "\(entity) removed by \(side.rawValue), changed by \(side == .ours ? "theirs" : "ours")"
        case .endpointRemoved(let n, let side):
            "\(entity) ends at node \(n), removed by \(side.rawValue)"
        }
    }

    static func show(_ v: IPLD?) -> String {
        guard let v else { return "(absent)" }
        return (try? DAGJSON.encodeString(v)) ?? "\(v)"
    }
}
