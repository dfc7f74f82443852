import EngramIPLD
import EngramProlly
import EngramStorage

extension GraphSnapshot {
    /// The `k` nodes whose embeddings of `query.model` score highest against `query.vector`
    /// (SPEC.md 7.12), best first; equal scores in id order. Exact: every vector of the model
    /// (of the filter's labels, when it names any) is scored. Only the vectors tree is read,
    /// plus the validity tree for the hits that would be kept, and a node only when the filter
    /// tests its properties.
    ///
    /// Throws ``GraphError/invalidVectorQuery(_:)`` for an empty, over-long or non-finite query
    /// vector, a negative `k` or an empty model, and ``GraphError/vectorDimensionMismatch(model:query:stored:)``
    /// when a stored vector of the model has another dimension.
    public func nearest(_ query: VectorQuery) throws(GraphError) -> [VectorHit] {
        try Self.check(query)
        guard query.k > 0 else { return [] }
        let filter = query.filter.resolved()
        let validity = try ValidityCheck(self, instant: filter.instant, scope: ValidityIndex.nodeTag)
        var search = VectorSearch(snapshot: self, query: query, filter: filter, validity: validity)
        var labels: [String?] = []
        var seen: Set<ExactText> = []
        for label in query.filter.labels where seen.insert(ExactText(label)).inserted { labels.append(label) }
        if labels.isEmpty { labels = [nil] }
        // A commit written before the vectors tree: the model's entries made once from the nodes.
        let legacy = index.vectors == nil ? try legacyVectorEntries(model: query.model) : []
        for label in labels {
            let prefix = VectorIndex.prefix(model: query.model, label: label)
            if let tree = index.vectors {
                // Keys and chunks read in place in the leaves: no copy per vector.
                var cursor = ProllyCursor(tree: tree)
                try GraphError.tree { () throws(ProllyError) in try cursor.seek(to: prefix) }
                while let (leaf, i) = cursor.position {
                    guard leaf.withKey(at: i, { $0.starts(with: prefix) }) else { break }
                    try search.add(leaf, i, label: label, prefixLength: prefix.count)
                    _ = try GraphError.tree { () throws(ProllyError) in try cursor.moveNext() }
                }
            } else if !legacy.isEmpty {
                let leaf = try GraphError.tree { () throws(ProllyError) in
                    try ProllyTree.build(sorted: legacy.filter { $0.key.starts(with: prefix) },
                                         in: ProllyStorage(blocks: MemoryBlockStore(), hashFunction: storage.hashFunction))
                }
                var cursor = ProllyCursor(tree: leaf)
                try GraphError.tree { () throws(ProllyError) in try cursor.seekToFirst() }
                while let (node, i) = cursor.position {
                    try search.add(node, i, label: label, prefixLength: prefix.count)
                    _ = try GraphError.tree { () throws(ProllyError) in try cursor.moveNext() }
                }
            }
            try search.finishVector()
        }
        return search.top.sorted
    }

    /// The vectors tree entries of `model` built from the nodes, in key order.
    func legacyVectorEntries(model: String) throws(GraphError) -> [ProllyEntry] {
        let prefix = VectorIndex.prefix(model: model)
        var entries: [ProllyEntry] = []
        try forEachNode { (node) throws(GraphError) in entries += VectorIndex.entries(of: node).filter { $0.key.starts(with: prefix) } }
        entries.sort { KeyOrder.less($0.key, $1.key) }
        return entries
    }

    static func check(_ query: VectorQuery) throws(GraphError) {
        guard query.k >= 0 else { throw .invalidVectorQuery("k is \(query.k), below 0") }
        guard !query.model.isEmpty else { throw .invalidVectorQuery("the model is empty") }
        guard !query.vector.isEmpty, query.vector.count <= Embedding.maxDimensions else {
            throw .invalidVectorQuery("the vector has \(query.vector.count) dimensions, not 1 to \(Embedding.maxDimensions)")
        }
        if let bad = query.vector.firstIndex(where: { !$0.isFinite }) {
            throw .invalidVectorQuery("component \(bad) of the vector is not finite")
        }
    }
}

/// The state of one vector search: the stored vector being assembled from its chunks, and the
/// best hits so far.
struct VectorSearch {
    let snapshot: GraphSnapshot
    let query: VectorQuery
    let filter: ResolvedNodeFilter
    let validity: ValidityCheck
    /// The query's norm (cosine).
    let queryNorm: Double
    var top: TopK
    /// The stored vector being read, reused for every vector (no allocation per candidate).
    var buffer: [Float]
    /// The vector being assembled: the leaf and index of its first chunk's entry (for its key),
    /// node, label scanned under, components read, and the next chunk expected.
    var current: Assembly?

    struct Assembly {
        var leaf: ProllyNode
        var index: Int
        var id: EntityID
        var label: String?
        var prefixLength: Int
        var filled: Int
        var next: Int64
    }

    init(snapshot: GraphSnapshot, query: VectorQuery, filter: ResolvedNodeFilter, validity: ValidityCheck) {
        self.snapshot = snapshot
        self.query = query
        self.filter = filter
        self.validity = validity
        let q = query.vector.reduce(0.0) { $0 + Double($1) * Double($1) }
        queryNorm = q.squareRoot()
        top = TopK(k: query.k)
        buffer = [Float](repeating: 0, count: Embedding.maxDimensions)
    }

    /// Reads entry `i` of `leaf`, of the vectors tree, in place (`label`: the label its prefix
    /// names, if any).
    mutating func add(_ leaf: ProllyNode, _ i: Int, label: String?, prefixLength: Int) throws(GraphError) {
        guard let (id, chunk) = leaf.withKey(at: i, { VectorIndex.trailer(raw: $0) }) else {
            throw malformed(leaf.key(at: i), "a vectors key ends with a node id and a chunk number")
        }
        if chunk == 0 {
            try finishVector()
            current = Assembly(leaf: leaf, index: i, id: id, label: label, prefixLength: prefixLength, filled: 0, next: 0)
        }
        guard var c = current, c.id == id, c.next == chunk, c.filled == Int(chunk) &* VectorIndex.chunkComponents else {
            throw malformed(leaf.key(at: i), "chunk \(chunk) does not follow the vector's earlier chunks")
        }
        let start = c.filled
        let loaded = buffer.withUnsafeMutableBufferPointer { b in
            leaf.withValueBytes(at: i) { (raw) -> Int? in
                guard let raw, !raw.isEmpty, raw.count % 4 == 0, raw.count <= VectorIndex.chunkComponents * 4,
                      start + raw.count / 4 <= b.count else { return nil }
                let n = raw.count / 4
                for k in 0..<n {
                    b[start &+ k] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: k &* 4, as: UInt32.self)))
                }
                return n
            }
        }
        guard let n = loaded else {
            throw malformed(leaf.key(at: i), "a chunk is 4 to \(VectorIndex.chunkComponents * 4) bytes of float32, "
                            + "at most \(Embedding.maxDimensions) components in all")
        }
        c.filled += n
        c.next += 1
        current = c
    }

    /// Scores the vector assembled so far, if any, and keeps it if it ranks and passes the filter.
    mutating func finishVector() throws(GraphError) {
        guard let c = current else { return }
        current = nil
        let dims = query.vector.count
        guard c.filled == dims else { throw .vectorDimensionMismatch(model: query.model, query: dims, stored: c.filled) }
        let (dot, norm) = query.vector.withUnsafeBufferPointer { q in
            buffer.withUnsafeBufferPointer { b in VectorMath.dotAndNorm(q, UnsafeBufferPointer(rebasing: b[0..<dims])) }
        }
        let score: Double
        switch query.metric {
        case .dot: score = Double(dot)
        case .cosine:
            let denominator = queryNorm * Double(norm).squareRoot()
            score = denominator > 0 ? Double(dot) / denominator : 0
        }
        let hit = VectorHit(id: c.id, score: score)
        guard top.admits(hit), try passes(c) else { return }
        top.insert(hit)
    }

    /// Whether the node of vector `c` passes the filter (its label already did, by the prefix).
    func passes(_ c: Assembly) throws(GraphError) -> Bool {
        if !filter.properties.isEmpty {
            guard let node = try snapshot.node(c.id) else { return false }
            return filter.matches(node)
        }
        guard validity.active, filter.instant != nil else { return true }
        var label = c.label ?? ""
        if c.label == nil { label = try VectorIndex.label(c.leaf.key(at: c.index), afterPrefix: c.prefixLength) }
        return try validity.holds(ValidityIndex.nodeTag + IndexKeys.label(label, node: c.id)) { () throws(GraphError) in
            try snapshot.node(c.id)?.props
        }
    }

    func malformed(_ key: [UInt8], _ reason: String) -> GraphError {
        .tree(.malformedTupleKey(key: key, offset: 0, reason: "vectors tree: " + reason))
    }
}
