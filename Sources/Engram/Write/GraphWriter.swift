import EngramIPLD
import EngramProlly
import EngramStorage

/// The trees of a new graph state, written to the store.
struct WrittenState {
    var nodes: ProllyTree
    var edges: ProllyTree
    var index: IndexTrees

    /// The state as a snapshot with no commit yet.
    var snapshot: GraphSnapshot { GraphSnapshot(commitCID: nil, commit: nil, nodes: nodes, edges: edges, index: index) }
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
    /// With `checkingEndpoints` false the caller checks them (a stream applied in batches).
    func apply(_ input: ChangeSet, checkingEndpoints: Bool = true) throws(GraphError) -> WrittenState {
        // A base whose indexes are in an older key format gets them rebuilt; a newer one is
        // refused before anything is written.
        let baseIndex = try base.writableIndex()
        var changes = input
        try cascadeNodeRemovals(&changes)
        if checkingEndpoints { try checkEndpoints(changes) }
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
        try Self.checkRecallProperties(changes)
        let nodes = try writeEntities(changes.nodes, old: oldNodes, into: base.nodes) { (n) throws(GraphError) in try n.encode() }
        let edges = try writeEntities(changes.edges, old: oldEdges, into: base.edges) { (e) throws(GraphError) in try e.encode() }
        // Batches are handed over in key order where a cheap sort gives it (ids, labels), so the
        // tree's own sort finds one run; the props keys are sorted by the tree.
        var labelled = changes.nodes.map { id, new in (label: new?.label ?? oldNodes[id]?.label ?? "", id: id) }
        labelled.sort { a, b in ExactText.same(a.label, b.label) ? a.id < b.id : ExactText.precedes(a.label, b.label) }
        let nodeOrder = labelled.map(\.id)
        labelled = []
        let labels = try apply(baseIndex.labels) { m in
            for id in nodeOrder { IndexMutations.labels(old: oldNodes[id], new: changes.nodes[id]!, into: &m) }
        }
        let props = try apply(baseIndex.props) { m in
            for id in nodeOrder { IndexMutations.props(old: oldNodes[id], new: changes.nodes[id]!, into: &m) }
        }
        let out = try apply(baseIndex.out) { m in
            for id in Self.adjacencyOrder(changes.edges, oldEdges, out: true) {
                IndexMutations.adjacency(old: oldEdges[id], new: changes.edges[id]!, out: true, into: &m)
            }
        }
        let inn = try apply(baseIndex.in) { m in
            for id in Self.adjacencyOrder(changes.edges, oldEdges, out: false) {
                IndexMutations.adjacency(old: oldEdges[id], new: changes.edges[id]!, out: false, into: &m)
            }
        }
        // Full-text postings are derived when a search needs them (SPEC.md 7.11); the commit
        // carries the configuration, the default for a base from before full-text search.
        let text = baseIndex.text ?? .default
        // writableIndex() built these two if the base was written before they existed.
        guard let baseVectors = baseIndex.vectors, let baseValidity = baseIndex.validity else {
            throw .invalidObject(kind: "index_set", cid: nil, reason: "the vectors and validity trees were not built")
        }
        let vectors = try apply(baseVectors) { m in
            for id in nodeOrder {
                IndexMutations.replace(oldNodes[id].map(VectorIndex.entries) ?? [],
                                       with: changes.nodes[id]!.map(VectorIndex.entries) ?? [], into: &m)
            }
        }
        let validity = try apply(baseValidity) { m in
            for id in nodeOrder {
                IndexMutations.replace(oldNodes[id].map(ValidityIndex.entries) ?? [],
                                       with: changes.nodes[id]!.map(ValidityIndex.entries) ?? [], into: &m)
            }
            for (id, new) in changes.edges {
                IndexMutations.replace(oldEdges[id].map(ValidityIndex.entries) ?? [], with: new.map(ValidityIndex.entries) ?? [], into: &m)
            }
        }
        var index = IndexTrees(labels: labels, props: props, out: out, in: inn, text: text, vectors: vectors, validity: validity)
        index.textUnknown = baseIndex.textUnknown
        return WrittenState(nodes: nodes, edges: edges, index: index)
    }

    /// Refuses validity properties (SPEC.md 7.10) and embeddings (7.12) that a commit must not
    /// write, on every node and edge the change set puts.
    static func checkRecallProperties(_ changes: ChangeSet) throws(GraphError) {
        for case let (_, node?) in changes.nodes {
            try Validity.check(node.props, of: node.id)
            try Embedding.check(node)
        }
        for case let (_, edge?) in changes.edges { try Validity.check(edge.props, of: edge.id) }
    }

    /// Encodes and stores the new versions, then applies their links (or removals) to `tree`.
    func writeEntities<T>(_ changes: [EntityID: T?], old: [EntityID: T], into tree: ProllyTree,
                          encode: (T) throws(GraphError) -> [UInt8]) throws(GraphError) -> ProllyTree {
        var mutations: [ProllyMutation] = []
        mutations.reserveCapacity(changes.count)
        var blocks: [Block] = []
        for id in changes.keys.sorted() {
            let new = changes[id]!
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

    /// Edge ids in the order of their out (or in) keys: (near end, label, far end, id).
    static func adjacencyOrder(_ edges: [EntityID: Edge?], _ old: [EntityID: Edge], out: Bool) -> [EntityID] {
        struct Key {
            var near: EntityID, label: String, far: EntityID, id: EntityID
        }
        var keys: [Key] = []
        keys.reserveCapacity(edges.count)
        for (id, new) in edges {
            guard let e = new ?? old[id] else { continue }
            keys.append(Key(near: out ? e.src : e.dst, label: e.label, far: out ? e.dst : e.src, id: id))
        }
        keys.sort { a, b in
            if a.near != b.near { return a.near < b.near }
            if !ExactText.same(a.label, b.label) { return ExactText.precedes(a.label, b.label) }
            return a.far != b.far ? a.far < b.far : a.id < b.id
        }
        return keys.map(\.id)
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
        let index = try base.adjacencyIndex()
        for tree in [index.out, index.in] {
            var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: node.bytes) }
            while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) { out.append(try IndexKeys.trailingID(e.key)) }
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
