import EngramIPLD
import EngramProlly
import EngramStore

/// The trees of a new graph state, written to the store, and the change set that made it
/// (with the edges removed along with their nodes).
struct WrittenState {
    var nodes: ProllyTree
    var edges: ProllyTree
    var index: IndexTrees
    var applied: ChangeSet
}

/// Applies a change set to a graph state: writes the new node and edge blocks, then one
/// sorted batch of mutations per tree, index trees included. Only the touched keys change.
///
/// Trees are done one after the other, each from its own batch, so a large change set (a bulk
/// load) holds one tree's mutations at a time.
struct GraphWriter {
    let base: GraphSnapshot

    var storage: ProllyStorage { base.storage }

    /// Blocks are handed to the store in batches of this many.
    static let blockBatch = 4096

    /// The new state. Removing a node removes its edges; an edge whose endpoint does not exist
    /// afterwards is a ``GraphError/danglingEdge(edge:missingNode:)``.
    func apply(_ input: ChangeSet) throws(GraphError) -> WrittenState {
        var changes = input
        try cascadeNodeRemovals(&changes)
        try checkEndpoints(changes)
        // The versions in the base of what changes (none for new ids); unchanged puts dropped.
        var oldNodes: [EntityID: Node] = [:], oldEdges: [EntityID: Edge] = [:]
        for (id, new) in changes.nodes {
            let old = try base.node(id)
            if old == new { changes.nodes[id] = nil } else if let old { oldNodes[id] = old }
        }
        for (id, new) in changes.edges {
            let old = try base.edge(id)
            if old == new { changes.edges[id] = nil } else if let old { oldEdges[id] = old }
        }
        let nodes = try writeEntities(changes.nodes, old: oldNodes, into: base.nodes) { (n) throws(GraphError) in try n.encode() }
        let edges = try writeEntities(changes.edges, old: oldEdges, into: base.edges) { (e) throws(GraphError) in try e.encode() }
        let labels = try apply(base.index.labels) { m in
            for (id, new) in changes.nodes { IndexMutations.labels(old: oldNodes[id], new: new, into: &m) }
        }
        let props = try apply(base.index.props) { m in
            for (id, new) in changes.nodes { IndexMutations.props(old: oldNodes[id], new: new, into: &m) }
        }
        let out = try apply(base.index.out) { m in
            for (id, new) in changes.edges { IndexMutations.adjacency(old: oldEdges[id], new: new, out: true, into: &m) }
        }
        let inn = try apply(base.index.in) { m in
            for (id, new) in changes.edges { IndexMutations.adjacency(old: oldEdges[id], new: new, out: false, into: &m) }
        }
        return WrittenState(nodes: nodes, edges: edges, index: IndexTrees(labels: labels, props: props, out: out, in: inn),
                            applied: changes)
    }

    /// Encodes and stores the new versions, then applies their links (or removals) to `tree`.
    func writeEntities<T>(_ changes: [EntityID: T?], old: [EntityID: T], into tree: ProllyTree,
                          encode: (T) throws(GraphError) -> [UInt8]) throws(GraphError) -> ProllyTree {
        var mutations: [ProllyMutation] = []
        mutations.reserveCapacity(changes.count)
        var blocks: [Block] = []
        for (id, new) in changes {
            if let new {
                let bytes = try encode(new)
                let cid = CID(hashing: bytes, codec: .dagCBOR, function: storage.hashFunction)
                blocks.append(Block(unchecked: cid, bytes: bytes))
                if blocks.count >= Self.blockBatch {
                    try storage.blocks.putBlocks(blocks)
                    blocks.removeAll(keepingCapacity: true)
                }
                mutations.append(.upsert(key: id.bytes, value: .link(cid)))
            } else if old[id] != nil {
                mutations.append(.remove(key: id.bytes))
            }
        }
        try storage.blocks.putBlocks(blocks)
        return try GraphError.tree { () throws(ProllyError) in try tree.applying(mutations) }
    }

    /// Applies the mutations `build` collects to `tree`.
    func apply(_ tree: ProllyTree, _ build: (inout [ProllyMutation]) -> Void) throws(GraphError) -> ProllyTree {
        var mutations: [ProllyMutation] = []
        build(&mutations)
        return try GraphError.tree { () throws(ProllyError) in try tree.applying(mutations) }
    }

    /// Adds the removal of every edge of a removed node that the change set does not already
    /// remove or replace.
    func cascadeNodeRemovals(_ changes: inout ChangeSet) throws(GraphError) {
        for (id, new) in changes.nodes where new == nil {
            for edge in try incidentEdges(of: id) where changes.edges[edge] == nil {
                changes.edges[edge] = .some(nil)
            }
        }
    }

    /// The ids of the edges leaving or entering `node` in the base state.
    func incidentEdges(of node: EntityID) throws(GraphError) -> [EntityID] {
        var out: [EntityID] = []
        for tree in [base.index.out, base.index.in] {
            try GraphError.tree { () throws(ProllyError) in
                var it = try tree.entries(withPrefix: node.bytes)
                while let e = try it.next() { out.append(IndexKeys.trailingID(e.key)) }
            }
        }
        return out
    }

    /// Every edge put must end at nodes that exist after the change.
    func checkEndpoints(_ changes: ChangeSet) throws(GraphError) {
        for case let (_, edge?) in changes.edges {
            for end in [edge.src, edge.dst] {
                let exists: Bool
                if let staged = changes.nodes[end] { exists = staged != nil } else { exists = try base.hasNode(end) }
                if !exists { throw .danglingEdge(edge: edge.id, missingNode: end) }
            }
        }
    }
}
