import EngramIPLD
import EngramProlly

/// Every node of a snapshot, in id order, read lazily (``GraphSnapshot/allNodes()``).
public typealias NodeScan = EntityScan<Node>

/// Every edge of a snapshot, in id order, read lazily (``GraphSnapshot/allEdges()``).
public typealias EdgeScan = EntityScan<Edge>

/// The objects of the nodes or edges tree, in id order, each block read and decoded as the
/// scan reaches it.
public struct EntityScan<Entity>: GraphCursor {
    var entries: ProllyRangeIterator
    let tree: ProllyTree
    let decode: ([UInt8], CID) throws(GraphError) -> Entity

    init(_ tree: ProllyTree, decode: @escaping ([UInt8], CID) throws(GraphError) -> Entity) throws(GraphError) {
        self.tree = tree
        self.decode = decode
        entries = try GraphError.tree { () throws(ProllyError) in try tree.entries() }
    }

    /// The next node or edge, or nil after the last.
    public mutating func next() throws(GraphError) -> Entity? {
        guard let entry = try GraphError.tree({ () throws(ProllyError) in try entries.next() }) else { return nil }
        guard case .link(let cid) = entry.value else {
            throw .invalidObject(kind: "tree", cid: tree.root, reason: "an entry is not a link")
        }
        return try decode(try tree.storage.blocks.fetchBlock(cid), cid)
    }
}

extension GraphSnapshot {
    /// Every node, in id order, lazily.
    public func allNodes() throws(GraphError) -> NodeScan {
        try NodeScan(nodes) { (bytes, cid) throws(GraphError) in try Node.decode(bytes, cid: cid) }
    }

    /// Every edge, in id order, lazily.
    public func allEdges() throws(GraphError) -> EdgeScan {
        try EdgeScan(edges) { (bytes, cid) throws(GraphError) in try Edge.decode(bytes, cid: cid) }
    }
}
