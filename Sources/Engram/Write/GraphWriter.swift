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
struct GraphWriter {
    let base: GraphSnapshot

    var storage: ProllyStorage { base.storage }

    /// The new state. Removing a node removes its edges; an edge whose endpoint does not exist
    /// afterwards is a ``GraphError/danglingEdge(edge:missingNode:)``.
    func apply(_ input: ChangeSet) throws(GraphError) -> WrittenState {
        var changes = input
        try cascadeNodeRemovals(&changes)
        try checkEndpoints(changes)

        var blocks: [Block] = []
        var nodeMutations: [ProllyMutation] = [], edgeMutations: [ProllyMutation] = []
        var index = IndexMutations()
        for (id, new) in changes.nodes {
            let old = try base.node(id)
            if old == new { continue }
            if let new {
                let bytes = try new.encode()
                let cid = CID(hashing: bytes, codec: .dagCBOR, function: storage.hashFunction)
                blocks.append(Block(unchecked: cid, bytes: bytes))
                nodeMutations.append(.upsert(key: id.bytes, value: .link(cid)))
            } else if old != nil {
                nodeMutations.append(.remove(key: id.bytes))
            }
            index.node(old: old, new: new)
        }
        for (id, new) in changes.edges {
            let old = try base.edge(id)
            if old == new { continue }
            if let new {
                let bytes = try new.encode()
                let cid = CID(hashing: bytes, codec: .dagCBOR, function: storage.hashFunction)
                blocks.append(Block(unchecked: cid, bytes: bytes))
                edgeMutations.append(.upsert(key: id.bytes, value: .link(cid)))
            } else if old != nil {
                edgeMutations.append(.remove(key: id.bytes))
            }
            index.edge(old: old, new: new)
        }
        try storage.blocks.putBlocks(blocks)
        return try GraphError.tree { () throws(ProllyError) -> WrittenState in
            WrittenState(
                nodes: try base.nodes.applying(nodeMutations),
                edges: try base.edges.applying(edgeMutations),
                index: IndexTrees(labels: try base.index.labels.applying(index.labels),
                                  props: try base.index.props.applying(index.props),
                                  out: try base.index.out.applying(index.out),
                                  in: try base.index.in.applying(index.in)),
                applied: changes)
        }
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
