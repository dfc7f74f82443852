import EngramProlly

/// Node ids read lazily from a range of the labels or props tree, optionally re-checked
/// against the node (for values whose key was cut to a prefix and hash).
public struct NodeIDScan {
    /// The ranges still to read, in order (a numeric query reads the integers, then the floats).
    var ranges: [ProllyRangeIterator]
    var current = 0
    let recheck: ((EntityID, [UInt8]) throws(GraphError) -> Bool)?

    init(_ entries: ProllyRangeIterator, recheck: ((EntityID, [UInt8]) throws(GraphError) -> Bool)? = nil) {
        self.init(chaining: [entries], recheck: recheck)
    }

    init(chaining ranges: [ProllyRangeIterator], recheck: ((EntityID, [UInt8]) throws(GraphError) -> Bool)? = nil) {
        self.ranges = ranges
        self.recheck = recheck
    }

    /// The next id, or nil after the last.
    public mutating func next() throws(GraphError) -> EntityID? {
        while current < ranges.count {
            while let e = try GraphError.tree({ () throws(ProllyError) in try ranges[current].next() }) {
                let id = try IndexKeys.trailingID(e.key)
                if let recheck, try !recheck(id, e.key) { continue }
                return id
            }
            current += 1
        }
        return nil
    }

    /// Every remaining id, up to `limit`.
    public mutating func collect(limit: Int = .max) throws(GraphError) -> [EntityID] {
        var out: [EntityID] = []
        while out.count < limit, let id = try next() { out.append(id) }
        return out
    }
}

/// One edge seen from one of its ends.
public struct Neighbor: Sendable, Hashable {
    /// The node at the other end.
    public var node: EntityID
    /// The edge.
    public var edge: EntityID
    /// The edge's label.
    public var label: String

    public init(node: EntityID, edge: EntityID, label: String) {
        self.node = node
        self.edge = edge
        self.label = label
    }
}

/// Neighbours read lazily from a prefix of the out or in tree.
public struct NeighborScan {
    var entries: ProllyRangeIterator
    /// Whether the edge of an out or in key (and its id) is returned (validity, SPEC.md 7.10).
    let check: (([UInt8], EntityID) throws(GraphError) -> Bool)?

    init(entries: ProllyRangeIterator, check: (([UInt8], EntityID) throws(GraphError) -> Bool)? = nil) {
        self.entries = entries
        self.check = check
    }

    /// The next neighbour, or nil after the last.
    public mutating func next() throws(GraphError) -> Neighbor? {
        while let e = try GraphError.tree({ () throws(ProllyError) in try entries.next() }) {
            let (label, other, edge) = try IndexKeys.decodeAdjacency(e.key)
            if let check, try !check(e.key, edge) { continue }
            return Neighbor(node: other, edge: edge, label: label)
        }
        return nil
    }

    /// Every remaining neighbour, up to `limit`.
    public mutating func collect(limit: Int = .max) throws(GraphError) -> [Neighbor] {
        var out: [Neighbor] = []
        while out.count < limit, let n = try next() { out.append(n) }
        return out
    }
}
