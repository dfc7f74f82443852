import EngramIPLD

extension GraphSnapshot {
    /// Recalls what this state holds about `request` (SPEC.md 7.13): the full-text lane (BM25)
    /// for its text, the vector lane for its vector (or for its text made a vector by
    /// `embedder`), fused by reciprocal rank, each hit optionally expanded through the graph,
    /// packed under the budget. Every item says why it was returned; what did not fit is listed.
    public func recall(_ request: RecallRequest, embedder: (any Embedder)? = nil) throws(GraphError) -> RecallResult {
        try request.validate()
        // One clock reading for every lane and the expansion.
        var filter = request.filter
        if let instant = filter.validAt.instant() { filter.validAt = .at(instant) }
        var lanes: [RankedLane] = []
        if let text = request.text {
            let query = TextQuery(text, limit: request.candidatesPerLane, filter: filter)
            lanes.append(RankedLane(lane: .text, hits: try searchText(query).map { ($0.id, $0.score, $0.matchedTerms) }))
        }
        var vector = request.vector
        if vector == nil, let text = request.text, let embedder {
            let made: [[Float]]
            do { made = try embedder.embed([text]) } catch { throw .invalidRecall("the embedder failed: \(error)") }
            guard made.count == 1 else { throw .invalidRecall("the embedder returned \(made.count) vectors for one text") }
            vector = RecallRequest.QueryVector(made[0], model: embedder.model)
        }
        if let vector {
            let query = VectorQuery(vector: vector.values, model: vector.model, k: request.candidatesPerLane,
                                    metric: vector.metric, filter: filter)
            lanes.append(RankedLane(lane: .vector, hits: try nearest(query).map { ($0.id, $0.score, []) }))
        }
        return try recall(fusing: lanes, request, filter: filter.resolved())
    }
}

extension Repository {
    /// Recalls from the commit `revision` names (HEAD by default): see
    /// ``GraphSnapshot/recall(_:embedder:)``. An unborn branch recalls nothing.
    public func recall(_ request: RecallRequest, at revision: String = "HEAD",
                       embedder: (any Embedder)? = nil) throws(GraphError) -> RecallResult {
        let snapshot: GraphSnapshot
        if revision == "HEAD", try head() == nil {
            snapshot = try self.snapshot(nil)
        } else {
            snapshot = try self.snapshot(try resolve(revision))
        }
        return try snapshot.recall(request, embedder: embedder)
    }

    /// Recalls by text and/or vector with the common options spelled out (see ``RecallRequest``).
    public func recall(text: String? = nil, vector: RecallRequest.QueryVector? = nil, labels: [String] = [],
                       where properties: [NodeFilter.PropertyEquality] = [], at revision: String = "HEAD",
                       validAt: ValidityTime = .now, expand: RecallExpansion? = nil,
                       budget: RecallBudget = .tokens(2_000), embedder: (any Embedder)? = nil) throws(GraphError) -> RecallResult {
        let request = RecallRequest(text: text, vector: vector,
                                    filter: NodeFilter(labels: labels, properties: properties, validAt: validAt),
                                    expansion: expand, budget: budget)
        return try recall(request, at: revision, embedder: embedder)
    }
}
