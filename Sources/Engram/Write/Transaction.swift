import EngramIPLD

/// How an update changes a node's or edge's properties.
public enum PropertyUpdate: Sendable, Hashable {
    /// Replace every property.
    case replace(IPLDMap)
    /// Set the listed properties (nil removes one); keep the others.
    case patch(PropertyPatch)

    func applied(to props: IPLDMap) -> IPLDMap {
        switch self {
        case .replace(let m): return m
        case .patch(let patch): return patch.applied(to: props)
        }
    }
}

/// Properties to set (nil: remove), keyed by name bytes: unlike a `[String: IPLD?]`, it keeps
/// NFC and NFD spellings of a name apart, as the node's `IPLDMap` does.
public struct PropertyPatch: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    var changes: [ExactText: IPLD?] = [:]

    /// An empty patch.
    public init() {}

    /// A patch of `changes`; a name given twice takes its last value.
    public init(_ changes: some Sequence<(String, IPLD?)>) {
        for (name, value) in changes { set(name, to: value) }
    }

    public init(dictionaryLiteral elements: (String, IPLD?)...) { self.init(elements) }

    /// Sets `name` to `value` (nil: remove the property).
    public mutating func set(_ name: String, to value: IPLD?) { changes[ExactText(name)] = .some(value) }

    /// The changed names and their new values (nil: removed), in no particular order.
    public var entries: [(name: String, value: IPLD?)] { changes.map { ($0.key.string, $0.value) } }

    func applied(to props: IPLDMap) -> IPLDMap {
        var out = props
        for (name, value) in changes { out[name.string] = value }
        return out
    }
}

/// Changes buffered over a base commit, committed as one commit by ``Repository/commit(_:_:maxAttempts:)``.
///
/// Reads through the transaction see its own changes. Nothing is written until commit.
public struct Transaction: Sendable {
    /// The state the changes apply to.
    public let base: GraphSnapshot
    /// The branch the commit moves (nil: a detached `HEAD`, which then moves).
    public let branch: String?
    /// The changes so far.
    public private(set) var changes = ChangeSet()

    /// A transaction over `base` that moves `branch` (nil: a detached `HEAD`) when committed.
    public init(base: GraphSnapshot, branch: String?) {
        self.base = base
        self.branch = branch
    }

    init(base: GraphSnapshot, branch: String?, changes: ChangeSet) {
        self.base = base
        self.branch = branch
        self.changes = changes
    }

    /// The node `id` as the transaction sees it.
    public func node(_ id: EntityID) throws(GraphError) -> Node? {
        if let staged = changes.nodes[id] { return staged }
        return try base.node(id)
    }

    /// The edge `id` as the transaction sees it.
    public func edge(_ id: EntityID) throws(GraphError) -> Edge? {
        if let staged = changes.edges[id] { return staged }
        return try base.edge(id)
    }

    /// Adds a node (a new UUIDv7 id unless given) and returns its id. An existing node with
    /// the same id is replaced.
    @discardableResult
    public mutating func addNode(label: String, props: IPLDMap = IPLDMap(), id: EntityID = .uuidV7()) -> EntityID {
        changes.put(Node(id: id, label: label, props: props))
        return id
    }

    /// Puts a whole node (added or replaced).
    public mutating func putNode(_ node: Node) { changes.put(node) }

    /// Changes a node's label and/or properties.
    public mutating func updateNode(_ id: EntityID, label: String? = nil, props: PropertyUpdate? = nil) throws(GraphError) {
        guard var node = try node(id) else { throw .nodeNotFound(id) }
        if let label { node.label = label }
        if let props { node.props = props.applied(to: node.props) }
        changes.put(node)
    }

    /// Removes a node and every edge leaving or entering it now (so putting the node back
    /// later does not bring its edges back).
    public mutating func removeNode(_ id: EntityID) throws(GraphError) {
        guard try node(id) != nil else { throw .nodeNotFound(id) }
        changes.removeNode(id)
        for case let (eid, edge?) in changes.edges where edge.src == id || edge.dst == id {
            if try base.hasEdge(eid) { changes.removeEdge(eid) } else { changes.edges[eid] = nil }
        }
        for eid in try GraphWriter(base: base).incidentEdges(of: id) {
            // An edge this transaction moved off the node stays.
            if case let edge?? = changes.edges[eid], edge.src != id && edge.dst != id { continue }
            changes.removeEdge(eid)
        }
    }

    /// Adds an edge `src -label-> dst` and returns its id. Both nodes must exist at commit.
    @discardableResult
    public mutating func addEdge(from src: EntityID, _ label: String, to dst: EntityID, props: IPLDMap = IPLDMap(),
                                 id: EntityID = .uuidV7()) -> EntityID {
        changes.put(Edge(id: id, src: src, label: label, dst: dst, props: props))
        return id
    }

    /// Puts a whole edge (added or replaced).
    public mutating func putEdge(_ edge: Edge) { changes.put(edge) }

    /// Changes an edge's label and/or properties.
    public mutating func updateEdge(_ id: EntityID, label: String? = nil, props: PropertyUpdate? = nil) throws(GraphError) {
        guard var edge = try edge(id) else { throw .edgeNotFound(id) }
        if let label { edge.label = label }
        if let props { edge.props = props.applied(to: edge.props) }
        changes.put(edge)
    }

    /// Removes an edge.
    public mutating func removeEdge(_ id: EntityID) throws(GraphError) {
        guard try edge(id) != nil else { throw .edgeNotFound(id) }
        changes.removeEdge(id)
    }

    /// Merges another change set in (its entries win).
    public mutating func stage(_ other: ChangeSet) {
        for (k, v) in other.nodes { changes.nodes[k] = v }
        for (k, v) in other.edges { changes.edges[k] = v }
    }
}

/// Who made a commit, when and why.
public struct CommitInfo: Sendable, Hashable {
    /// Who commits.
    public var author: String
    /// Why.
    public var message: String
    /// The agent committing, if any.
    public var agent: String?
    /// Microseconds since the epoch; nil takes the system clock at commit.
    public var time: Int64?

    /// Commit information; a nil `time` takes the clock at commit.
    public init(author: String, message: String, agent: String? = nil, time: Int64? = nil) {
        self.author = author
        self.message = message
        self.agent = agent
        self.time = time
    }
}
