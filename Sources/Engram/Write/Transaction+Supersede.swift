import EngramIPLD
import EngramStorage

extension Transaction {
    /// Replaces the node `old` by `new` as of `time` (microseconds; nil: now) without removing
    /// it (SPEC.md 7.10): `old` gets `valid_to = time`, `new` gets `valid_from = time`, both in
    /// this transaction. Queries valid at an earlier time still find `old`; queries at a
    /// revision before the commit do not see the change at all. Returns `new`'s id.
    ///
    /// Edges are not moved: `old`'s edges stay on it. Throws ``GraphError/nodeNotFound(_:)``
    /// when `old` does not exist, and ``GraphError/invalidValidity(entity:reason:)`` when `new`
    /// has `old`'s id or either interval would be empty (`old` opened at or after `time`, or
    /// already closed by then; `new` closed by `time`).
    @discardableResult
    public mutating func supersede(_ old: EntityID, with new: Node, at time: Int64? = nil) throws(GraphError) -> EntityID {
        guard var closed = try node(old) else { throw .nodeNotFound(old) }
        let t = time ?? WallClock.microseconds()
        var opened = new
        try Self.supersede(&closed.props, old, &opened.props, new.id, at: t)
        putNode(closed)
        putNode(opened)
        return new.id
    }

    /// Replaces the edge `old` by `new` as of `time`, as ``supersede(_:with:at:)-(_,Node,_)``
    /// does for nodes. Throws ``GraphError/edgeNotFound(_:)`` when `old` does not exist.
    @discardableResult
    public mutating func supersede(_ old: EntityID, with new: Edge, at time: Int64? = nil) throws(GraphError) -> EntityID {
        guard var closed = try edge(old) else { throw .edgeNotFound(old) }
        let t = time ?? WallClock.microseconds()
        var opened = new
        try Self.supersede(&closed.props, old, &opened.props, new.id, at: t)
        putEdge(closed)
        putEdge(opened)
        return new.id
    }

    /// Closes `old` and opens `new` at `t`, checking both intervals.
    static func supersede(_ old: inout IPLDMap, _ oldID: EntityID, _ new: inout IPLDMap, _ newID: EntityID,
                          at t: Int64) throws(GraphError) {
        guard oldID != newID else { throw .invalidValidity(entity: oldID, reason: "a fact cannot supersede itself") }
        if case .integer(let to)? = old[Validity.toProperty], let to = to.int64, to <= t {
            throw .invalidValidity(entity: oldID, reason: "it was already closed at \(to), not after \(t)")
        }
        old[Validity.toProperty] = .integer(IPLDInteger(t))
        new[Validity.fromProperty] = .integer(IPLDInteger(t))
        try Validity.check(old, of: oldID)
        try Validity.check(new, of: newID)
    }
}
