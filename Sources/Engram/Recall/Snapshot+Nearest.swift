import EngramIPLD
import EngramProlly

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
                var it = try GraphError.tree { () throws(ProllyError) in try tree.entries(withPrefix: prefix) }
                while let e = try GraphError.tree({ () throws(ProllyError) in try it.next() }) {
                    try search.add(e, label: label, prefixLength: prefix.count)
                }
            } else {
                for e in legacy where e.key.starts(with: prefix) { try search.add(e, label: label, prefixLength: prefix.count) }
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
    /// The vector being assembled: its key (of its first chunk), node, label scanned under,
    /// components read, and the next chunk expected.
    var current: (key: [UInt8], id: EntityID, label: String?, prefixLength: Int, filled: Int, next: Int64)?

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

    /// Reads one entry of the vectors tree (`label`: the label its prefix names, if any).
    mutating func add(_ entry: ProllyEntry, label: String?, prefixLength: Int) throws(GraphError) {
        let (id, chunk) = try VectorIndex.trailer(entry.key)
        guard case .bytes(let bytes) = entry.value, !bytes.isEmpty, bytes.count % 4 == 0,
              bytes.count <= VectorIndex.chunkComponents * 4 else {
            throw malformed(entry.key, "a chunk is 4 to \(VectorIndex.chunkComponents * 4) bytes of float32")
        }
        if chunk == 0 {
            try finishVector()
            current = (entry.key, id, label, prefixLength, 0, 0)
        }
        guard var c = current, c.id == id, c.next == chunk, c.filled == Int(chunk) &* VectorIndex.chunkComponents else {
            throw malformed(entry.key, "chunk \(chunk) does not follow the vector's earlier chunks")
        }
        let n = bytes.count / 4
        guard c.filled + n <= buffer.count else { throw malformed(entry.key, "the vector has over \(Embedding.maxDimensions) components") }
        let start = c.filled
        buffer.withUnsafeMutableBufferPointer { b in
            VectorMath.load(bytes[...], into: UnsafeMutableBufferPointer(rebasing: b[start..<(start + n)]))
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
    func passes(_ c: (key: [UInt8], id: EntityID, label: String?, prefixLength: Int, filled: Int, next: Int64)) throws(GraphError) -> Bool {
        if !filter.properties.isEmpty {
            guard let node = try snapshot.node(c.id) else { return false }
            return filter.matches(node)
        }
        guard validity.active, filter.instant != nil else { return true }
        var label = c.label ?? ""
        if c.label == nil { label = try VectorIndex.label(c.key, afterPrefix: c.prefixLength) }
        return try validity.holds(ValidityIndex.nodeTag + IndexKeys.label(label, node: c.id)) { () throws(GraphError) in
            try snapshot.node(c.id)?.props
        }
    }

    func malformed(_ key: [UInt8], _ reason: String) -> GraphError {
        .tree(.malformedTupleKey(key: key, offset: 0, reason: "vectors tree: " + reason))
    }
}
