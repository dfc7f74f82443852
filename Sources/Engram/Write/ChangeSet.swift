/// The net effect of a transaction or merge on a graph: the final state of every node and edge
/// it touches (nil: removed).
public struct ChangeSet: Sendable, Equatable {
    public var nodes: [EntityID: Node?] = [:]
    public var edges: [EntityID: Edge?] = [:]

    public init() {}

    /// Whether nothing is changed.
    public var isEmpty: Bool { nodes.isEmpty && edges.isEmpty }

    public mutating func put(_ node: Node) { nodes[node.id] = .some(node) }
    public mutating func put(_ edge: Edge) { edges[edge.id] = .some(edge) }
    public mutating func removeNode(_ id: EntityID) { nodes[id] = .some(nil) }
    public mutating func removeEdge(_ id: EntityID) { edges[id] = .some(nil) }
}
