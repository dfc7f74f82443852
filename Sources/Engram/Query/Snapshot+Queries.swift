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
    /// The nodes with `label` valid at `validAt` (SPEC.md 7.10), in id order, lazily.
    public func nodes(label: String, validAt: ValidityTime = .now) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        let prefix = IndexKeys.label(label)
        let recheck = nodeRecheck(label, try nodeValidity(label, validAt))
        return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.labels.entries(withPrefix: prefix) }, recheck: recheck)
    }

    /// The number of nodes with `label` valid at `validAt`, from the tree counts (no scan): the
    /// label's count less those of its nodes with a validity interval that do not hold then.
    public func count(label: String, validAt: ValidityTime = .now) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let prefix = IndexKeys.label(label)
        let total = try GraphError.tree { () throws(ProllyError) in try index.labels.count(from: prefix, to: KeyOrder.prefixEnd(prefix)) }
        let validity = try nodeValidity(label, validAt)
        guard validity.active else { return total }
        guard let closed = try closedNodes(validity, { _ in true }) else { return try Self.count(try nodes(label: label, validAt: validAt)) }
        return total - min(closed, total)
    }

    /// The nodes with `label` valid at `validAt` whose property `name` equals `value`, lazily.
    /// Values the props index does not hold (lists, maps, links) are found by scanning the
    /// label. A number equals the integer and the float of its value (1 matches 1 and 1.0):
    /// integers come first.
    public func nodes(label: String, where name: String, equals value: IPLD, validAt: ValidityTime = .now) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        let valid = nodeRecheck(label, try nodeValidity(label, validAt))
        guard let kv = IndexKeys.keyValue(value) else {
            let check: (EntityID, [UInt8]) throws(GraphError) -> Bool = { (id, _) throws(GraphError) in
                try self.node(id)?.props[name] == value
            }
            let prefix = IndexKeys.label(label)
            return NodeIDScan(try GraphError.tree { () throws(ProllyError) in try index.labels.entries(withPrefix: prefix) },
                              recheck: bothChecks(valid, check))
        }
        var ranges: [ProllyRangeIterator] = []
        var anyCut = false
        for equal in NumericKeys.equalValues(kv) {
            let (prefix, cut) = try valuePrefix(label, name, equal)
            anyCut = anyCut || cut
            ranges.append(try GraphError.tree { () throws(ProllyError) in try index.props.entries(withPrefix: prefix) })
        }
        let check: ((EntityID, [UInt8]) throws(GraphError) -> Bool)? = anyCut ? { (id, _) throws(GraphError) in
            try self.node(id)?.props[name] == value
        } : nil
        return NodeIDScan(chaining: ranges, recheck: bothChecks(check, valid))
    }

    /// The number of nodes an equality query returns (numbers as above): from the tree counts
    /// when the value's keys are exact (less the closed nodes that match), by checking the
    /// candidates otherwise.
    public func count(label: String, where name: String, equals value: IPLD, validAt: ValidityTime = .now) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        if let kv = IndexKeys.keyValue(value) {
            var total: UInt64 = 0
            var exact = true
            var prefixes: [[UInt8]] = []
            for equal in NumericKeys.equalValues(kv) where exact {
                let (prefix, cut) = try valuePrefix(label, name, equal)
                exact = !cut
                prefixes.append(prefix)
                total += try GraphError.tree { () throws(ProllyError) in try index.props.count(from: prefix, to: KeyOrder.prefixEnd(prefix)) }
            }
            if exact {
                let validity = try nodeValidity(label, validAt)
                guard validity.active else { return total }
                let closed = try closedNodes(validity) { (id) throws(GraphError) in
                    for prefix in prefixes {
                        let key = prefix + id.bytes
                        if try GraphError.tree({ () throws(ProllyError) in try index.props.contains(key) }) { return true }
                    }
                    return false
                }
                if let closed { return total - min(closed, total) }
            }
        }
        return try Self.count(try nodes(label: label, where: name, equals: value, validAt: validAt))
    }

    /// The nodes with `label` valid at `validAt` whose property `name` is in `lower ..< upper`
    /// (nil: unbounded), lazily. When the bounds are numbers (or a number and an open end) the
    /// range is numeric: integers and floats compare by value (`0.5 ..< 2` holds 1 and 0.8), the
    /// integers come first, then the floats, each in value order, and no other kind is returned.
    /// Otherwise values order by kind (null, false, true, integers, floats, text, bytes), then by
    /// value, in that order; values over 64 encoded bytes compare by their first 64 bytes.
    public func nodes(label: String, where name: String, from lower: IPLD?, to upper: IPLD?,
                      validAt: ValidityTime = .now) throws(GraphError) -> NodeIDScan {
        let index = try queryableIndex()
        var iterators: [ProllyRangeIterator] = []
        for r in try nonEmptyRanges(label, name, lower, upper) {
            iterators.append(try GraphError.tree { () throws(ProllyError) in try index.props.entries(from: r.from, to: r.to) })
        }
        let recheck = nodeRecheck(label, try nodeValidity(label, validAt))
        return NodeIDScan(chaining: iterators, recheck: recheck)
    }

    /// The number of nodes a range query returns, from the tree counts (less the closed nodes
    /// whose value is in the range).
    public func count(label: String, where name: String, from lower: IPLD?, to upper: IPLD?,
                      validAt: ValidityTime = .now) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let ranges = try nonEmptyRanges(label, name, lower, upper)
        var total: UInt64 = 0
        for r in ranges {
            total += try GraphError.tree { () throws(ProllyError) in try index.props.count(from: r.from, to: r.to) }
        }
        let validity = try nodeValidity(label, validAt)
        guard validity.active else { return total }
        let closed = try closedNodes(validity) { (id) throws(GraphError) in
            guard let node = try self.node(id), let v = node.props[name], let kv = IndexKeys.keyValue(v),
                  let key = try? IndexKeys.prop(label, name, kv, node: id) else { return false }
            return ranges.contains { r in KeyOrder.compare(key, r.from) >= 0 && r.to.map { KeyOrder.compare(key, $0) < 0 } ?? true }
        }
        if let closed { return total - min(closed, total) }
        return try Self.count(try nodes(label: label, where: name, from: lower, to: upper, validAt: validAt))
    }

    /// The key ranges of a range query that hold any key.
    func nonEmptyRanges(_ label: String, _ name: String, _ lower: IPLD?, _ upper: IPLD?) throws(GraphError) -> [(from: [UInt8], to: [UInt8]?)] {
        try rangeKeys(label, name, from: lower, to: upper).filter { r in r.to.map(r.from.lexicographicallyPrecedes) ?? true }
    }

    /// The number of ids a scan yields.
    static func count(_ scan: NodeIDScan) throws(GraphError) -> UInt64 {
        var scan = scan
        var n: UInt64 = 0
        while try scan.next() != nil { n += 1 }
        return n
    }
    /// The (label, name, value) prefix, and whether the value's encoding was cut.
    func valuePrefix(_ label: String, _ name: String, _ kv: KeyValue) throws(GraphError) -> ([UInt8], Bool) {
        let prefix = try IndexKeys.prop(label, name)
        do {
            let (value, cut) = try TupleKey.encoding(of: kv)
            return (prefix + value, cut)
        } catch { throw .unindexableValue(.cause(error)) }
    }

    static func indexable(_ v: IPLD) throws(GraphError) -> KeyValue {
        guard let kv = IndexKeys.keyValue(v) else { throw .unindexableValue("a \(v.kind) has no order") }
        return kv
    }

    /// The edges leaving (`.out`) or entering (`.in`) `node` that are valid at `validAt`,
    /// optionally only those labelled `label`, ordered by label then far node, lazily. Only the
    /// edge's own interval counts (the far node's is not checked).
    public func neighbors(_ node: EntityID, _ direction: Direction = .out, label: String? = nil,
                          validAt: ValidityTime = .now) throws(GraphError) -> NeighborScan {
        let index = try queryableIndex()
        let out = direction != .in
        let tree = out ? index.out : index.in
        let prefix = IndexKeys.adjacency(node, label: label)
        let tag = ValidityIndex.edgeTag(out: out)
        let validity = try ValidityCheck(self, validAt, scope: tag + prefix)
        let check: (([UInt8], EntityID) throws(GraphError) -> Bool)? = validity.active ? { (key, edge) throws(GraphError) in
            try validity.holds(tag + key) { () throws(GraphError) in try self.edge(edge)?.props }
        } : nil
        return NeighborScan(entries: try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: prefix) }, check: check)
    }

    /// The number of edges leaving or entering `node` (optionally with `label`) valid at
    /// `validAt`, from the tree counts (less the closed edges). `.both` adds the two.
    public func degree(_ node: EntityID, _ direction: Direction = .out, label: String? = nil,
                       validAt: ValidityTime = .now) throws(GraphError) -> UInt64 {
        let index = try queryableIndex()
        let prefix = IndexKeys.adjacency(node, label: label)
        let end = KeyOrder.prefixEnd(prefix)
        var total: UInt64 = 0
        for out in direction == .both ? [true, false] : [direction == .out] {
            let tree = out ? index.out : index.in
            let all = try GraphError.tree { () throws(ProllyError) in try tree.count(from: prefix, to: end) }
            let tag = ValidityIndex.edgeTag(out: out)
            let validity = try ValidityCheck(self, validAt, scope: tag + prefix)
            if !validity.active {
                total += all
            } else if let closed = try validity.closedKeys(tagLength: tag.count) {
                total += all - min(UInt64(closed.count), all)
            } else {
                var scan = try neighbors(node, out ? .out : .in, label: label, validAt: validAt)
                total += UInt64(try scan.collect().count)
            }
        }
        return total
    }

    /// A breadth-first walk from `start` following edges in `direction` valid at `validAt`
    /// (optionally only those labelled `label`), at most `maxDepth` hops and `limit` nodes, lazily.
    public func traverse(from start: EntityID, _ direction: Direction = .out, label: String? = nil,
                         maxDepth: Int, limit: Int = .max, validAt: ValidityTime = .now) -> Traversal {
        // One clock reading for the whole walk.
        let fixed = validAt.instant().map(ValidityTime.at) ?? .any
        return Traversal(snapshot: self, start: start, direction: direction, label: label, maxDepth: maxDepth, limit: limit,
                         validAt: fixed)
    }
}

/// A lazy breadth-first walk: yields each node reached once, with its hop count, nearest first.
public struct Traversal: GraphCursor {
    let snapshot: GraphSnapshot
    let direction: Direction
    let label: String?
    let maxDepth: Int
    let limit: Int
    let validAt: ValidityTime
    var queue: [(EntityID, Int)]
    var head = 0
    var seen: Set<EntityID>
    var emitted = 0

    init(snapshot: GraphSnapshot, start: EntityID, direction: Direction, label: String?, maxDepth: Int, limit: Int,
         validAt: ValidityTime) {
        self.snapshot = snapshot
        self.direction = direction
        self.label = label
        self.maxDepth = maxDepth
        self.limit = limit
        self.validAt = validAt
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
                var scan = try snapshot.neighbors(node, d, label: label, validAt: validAt)
                while let n = try scan.next() {
                    if seen.insert(n.node).inserted { queue.append((n.node, depth + 1)) }
                }
            }
        }
        return (node, depth)
    }
}
