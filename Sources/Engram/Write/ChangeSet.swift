/// The net effect of a transaction or merge on a graph: the final state of every node and edge
/// it touches (nil: removed).
public struct ChangeSet: Sendable, Equatable {
    /// Each node touched and its final state (nil: removed).
    public var nodes: [EntityID: Node?] = [:]
    /// Each edge touched and its final state (nil: removed).
    public var edges: [EntityID: Edge?] = [:]

    /// No changes.
    public init() {}

    /// Whether nothing is changed.
    public var isEmpty: Bool { nodes.isEmpty && edges.isEmpty }

    /// Adds or replaces a node.
    public mutating func put(_ node: Node) { nodes[node.id] = .some(node) }
    /// Adds or replaces an edge.
    public mutating func put(_ edge: Edge) { edges[edge.id] = .some(edge) }
    /// Removes a node.
    public mutating func removeNode(_ id: EntityID) { nodes[id] = .some(nil) }
    /// Removes an edge.
    public mutating func removeEdge(_ id: EntityID) { edges[id] = .some(nil) }
}
