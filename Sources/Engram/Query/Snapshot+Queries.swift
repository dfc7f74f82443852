import EngramIPLD
import EngramProlly

/// Which edges a neighbourhood query follows.
public enum Direction: String, Sendable, Hashable {
    /// Edges leaving the node.
    case out
    /// Edges entering the node.
    case `in`
    /// Both.
    case both
}

extension GraphSnapshot {
    /// The nodes with `label`, in id order, lazily.
    public func nodes(label: String) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        let prefix = IndexKeys.label(label)
        return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.labels.entries(withPrefix: prefix) })
    }

    /// The number of nodes with `label`, from the tree counts (no scan).
    public func count(label: String) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let prefix = IndexKeys.label(label)
        return try GraphError.tree { () throws(ProllyError) in try index.labels.count(from: prefix, to: KeyOrder.prefixEnd(prefix)) }
    }

    /// The nodes with `label` whose property `name` equals `value`, lazily. Values the props
    /// index does not hold (lists, maps, links) are found by scanning the label.
    public func nodes(label: String, where name: String, equals value: IPLD) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        guard let kv = IndexKeys.keyValue(value) else {
            let check: (EntityID, [UInt8]) throws(GraphError) -> Bool = { (id, _) throws(GraphError) in
                try self.node(id)?.props[name] == value
            }
            let prefix = IndexKeys.label(label)
            return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.labels.entries(withPrefix: prefix) },
                              recheck: check)
        }
        let (prefix, cut) = try valuePrefix(label, name, kv)
        let check: ((EntityID, [UInt8]) throws(GraphError) -> Bool)? = cut ? { (id, _) throws(GraphError) in
            try self.node(id)?.props[name] == value
        } : nil
        return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.props.entries(withPrefix: prefix) }, recheck: check)
    }

    /// The number of nodes with `label` whose property `name` equals `value`: from the tree
    /// counts when the value's key is exact, by checking the candidates otherwise.
    public func count(label: String, where name: String, equals value: IPLD) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        if let kv = IndexKeys.keyValue(value) {
            let (prefix, cut) = try valuePrefix(label, name, kv)
            if !cut {
                return try GraphError.tree { () throws(ProllyError) in try index.props.count(from: prefix, to: KeyOrder.prefixEnd(prefix)) }
            }
        }
        var scan = try nodes(label: label, where: name, equals: value)
        var n: UInt64 = 0
        while try scan.next() != nil { n += 1 }
        return n
    }

    /// The nodes with `label` whose property `name` is in `lower ..< upper` (nil: unbounded), in
    /// value order, lazily. Values order by kind (null, false, true, integers, floats, text,
    /// bytes), then by value; values over 64 encoded bytes compare by their first 64 bytes.
    public func nodes(label: String, where name: String, from lower: IPLD?, to upper: IPLD?) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        let prefix = try IndexKeys.prop(label, name)
        let lo = try lower.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, try Self.indexable(v)) } ?? prefix
        let hi = try upper.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, try Self.indexable(v)) } ?? KeyOrder.prefixEnd(prefix)
        return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.props.entries(from: lo, to: hi) })
    }

    /// The number of nodes a range query returns, from the tree counts.
    public func count(label: String, where name: String, from lower: IPLD?, to upper: IPLD?) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let prefix = try IndexKeys.prop(label, name)
        let lo = try lower.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, try Self.indexable(v)) } ?? prefix
        let hi = try upper.map { (v) throws(GraphError) in try IndexKeys.prop(label, name, try Self.indexable(v)) } ?? KeyOrder.prefixEnd(prefix)
        return try GraphError.tree { () throws(ProllyError) in try index.props.count(from: lo, to: hi) }
    }

    /// The (label, name, value) prefix, and whether the value's encoding was cut.
    func valuePrefix(_ label: String, _ name: String, _ kv: KeyValue) throws(GraphError) -> ([UInt8], Bool) {
        let prefix = try IndexKeys.prop(label, name)
        do {
            let (value, cut) = try TupleKey.encoding(of: kv)
            return (prefix + value, cut)
        } catch { throw .unindexableValue("\(error)") }
    }

    static func indexable(_ v: IPLD) throws(GraphError) -> KeyValue {
        guard let kv = IndexKeys.keyValue(v) else { throw .unindexableValue("a \(v.kind) has no order") }
        return kv
    }

    /// The edges leaving (`.out`) or entering (`.in`) `node`, optionally only those labelled
    /// `label`, ordered by label then far node, lazily.
    public func neighbors(_ node: EntityID, _ direction: Direction = .out, label: String? = nil) throws(GraphError) -> NeighborScan {
        let index = try queryableIndex()
        let tree = direction == .in ? index.in : index.out
        let prefix = IndexKeys.adjacency(node, label: label)
        return NeighborScan(entries: try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: prefix) })
    }

    /// The number of edges leaving or entering `node` (optionally with `label`), from the tree
    /// counts. `.both` adds the two.
    public func degree(_ node: EntityID, _ direction: Direction = .out, label: String? = nil) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let prefix = IndexKeys.adjacency(node, label: label)
        let end = KeyOrder.prefixEnd(prefix)
        return try GraphError.tree { () throws(ProllyError) -> UInt64 in
            switch direction {
            case .out: try index.out.count(from: prefix, to: end)
            case .in: try index.in.count(from: prefix, to: end)
            case .both: try index.out.count(from: prefix, to: end) + index.in.count(from: prefix, to: end)
            }
        }
    }

    /// A breadth-first walk from `start` following edges in `direction` (optionally only those
    /// labelled `label`), at most `maxDepth` hops and `limit` nodes, lazily.
    public func traverse(from start: EntityID, _ direction: Direction = .out, label: String? = nil,
                         maxDepth: Int, limit: Int = .max) -> Traversal {
        Traversal(snapshot: self, start: start, direction: direction, label: label, maxDepth: maxDepth, limit: limit)
    }
}

/// A lazy breadth-first walk: yields each node reached once, with its hop count, nearest first.
public struct Traversal: GraphCursor {
    let snapshot: GraphSnapshot
    let direction: Direction
    let label: String?
    let maxDepth: Int
    let limit: Int
    var queue: [(EntityID, Int)]
    var head = 0
    var seen: Set<EntityID>
    var emitted = 0

    init(snapshot: GraphSnapshot, start: EntityID, direction: Direction, label: String?, maxDepth: Int, limit: Int) {
        self.snapshot = snapshot
        self.direction = direction
        self.label = label
        self.maxDepth = maxDepth
        self.limit = limit
        queue = [(start, 0)]
        seen = [start]
    }

    /// The next node reached and its distance from the start (0 for the start itself).
    public mutating func next() throws(GraphError) -> (node: EntityID, depth: Int)? {
        guard head < queue.count, emitted < limit else { return nil }
        let (node, depth) = queue[head]
        head += 1
        emitted += 1
        if depth < maxDepth {
            let directions: [Direction] = direction == .both ? [.out, .in] : [direction]
            for d in directions {
                var scan = try snapshot.neighbors(node, d, label: label)
                while let n = try scan.next() {
                    if seen.insert(n.node).inserted { queue.append((n.node, depth + 1)) }
                }
            }
        }
        return (node, depth)
    }
}
