import EngramProlly

extension GraphSnapshot {
    /// The index trees built from scratch over this state's nodes and edges (one bulk build per
    /// tree), with this state's text configuration (the default when it has none). Incremental
    /// maintenance must give the same roots.
    public func rebuildIndexes() throws(GraphError) -> IndexTrees {
        var labels: [ProllyEntry] = [], props: [ProllyEntry] = [], out: [ProllyEntry] = [], inn: [ProllyEntry] = []
        var vectors: [ProllyEntry] = [], validity: [ProllyEntry] = []
        try forEachNode { (node) throws(GraphError) in
            labels.append(ProllyEntry(key: IndexKeys.label(node.label, node: node.id), value: .null))
            for key in IndexKeys.props(of: node) { props.append(ProllyEntry(key: key, value: .null)) }
            vectors += VectorIndex.entries(of: node)
            validity += ValidityIndex.entries(of: node)
        }
        try forEachEdge { (edge) throws(GraphError) in
            out.append(ProllyEntry(key: IndexKeys.out(edge), value: .null))
            inn.append(ProllyEntry(key: IndexKeys.in(edge), value: .null))
            validity += ValidityIndex.entries(of: edge)
        }
        let storage = self.storage
        return try GraphError.tree { () throws(ProllyError) in
            IndexTrees(labels: try .build(unsorted: labels, in: storage), props: try .build(unsorted: props, in: storage),
                       out: try .build(unsorted: out, in: storage), in: try .build(unsorted: inn, in: storage), text: index.text ?? .default,
                       vectors: try .build(unsorted: vectors, in: storage), validity: try .build(unsorted: validity, in: storage))
        }
    }

    /// The vectors and validity trees built from scratch, for a commit written before they
    /// existed (SPEC.md 7.10, 7.12): the first commit over it builds them once.
    func rebuildRecallIndexes() throws(GraphError) -> (vectors: ProllyTree, validity: ProllyTree) {
        var vectors: [ProllyEntry] = [], validity: [ProllyEntry] = []
        try forEachNode { (node) throws(GraphError) in
            vectors += VectorIndex.entries(of: node)
            validity += ValidityIndex.entries(of: node)
        }
        try forEachEdge { (edge) throws(GraphError) in validity += ValidityIndex.entries(of: edge) }
        let storage = self.storage
        return try GraphError.tree { () throws(ProllyError) in
            (try .build(unsorted: vectors, in: storage), try .build(unsorted: validity, in: storage))
        }
    }

    /// Calls `body` with every node, in id order.
    public func forEachNode(_ body: (Node) throws(GraphError) -> Void) throws(GraphError) {
        var it = try GraphError.tree { () throws(ProllyError) in try nodes.entries() }
        while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            guard case .link(let cid) = e.value else { throw .invalidObject(kind: "tree", cid: nodes.root, reason: "node entry is not a link") }
            try body(try Node.decode(try storage.blocks.fetchBlock(cid), cid: cid))
        }
    }

    /// Calls `body` with every edge, in id order.
    public func forEachEdge(_ body: (Edge) throws(GraphError) -> Void) throws(GraphError) {
        var it = try GraphError.tree { () throws(ProllyError) in try edges.entries() }
        while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
            guard case .link(let cid) = e.value else { throw .invalidObject(kind: "tree", cid: edges.root, reason: "edge entry is not a link") }
            try body(try Edge.decode(try storage.blocks.fetchBlock(cid), cid: cid))
        }
    }
}
