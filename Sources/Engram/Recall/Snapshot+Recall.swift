import EngramIPLD

extension GraphSnapshot {
    /// Fuses ranked lanes, expands and packs the hits (SPEC.md 7.13). The lanes were searched
    /// with `filter`; expansions are checked against its validity instant.
    func recall(fusing lanes: [RankedLane], _ request: RecallRequest, filter: ResolvedNodeFilter) throws(GraphError) -> RecallResult {
        let fused = RankFusion.reciprocal(lanes, k: request.fusionK)
        var packer = RecallPacker(snapshot: self, request: request, filter: filter)
        try packer.pack(fused)
        return RecallResult(commit: commitCID, items: packer.items, dropped: packer.dropped, budget: request.budget, used: packer.used)
    }
}

extension RecallRequest {
    /// Checks the numbers a caller (or an MCP client, or the command line) supplied before they
    /// size anything.
    func validate() throws(GraphError) {
        func bad(_ reason: String) -> GraphError { .invalidRecall(reason) }
        if text == nil && vector == nil { throw bad("give text, a vector, or both") }
        if let text, text.utf8.isEmpty { throw bad("the text is empty") }
        guard budget.limit > 0 else { throw bad("the budget must be positive, not \(budget.limit)") }
        guard (1...Self.maxCandidatesPerLane).contains(candidatesPerLane) else {
            throw bad("candidates per lane must be 1 to \(Self.maxCandidatesPerLane), not \(candidatesPerLane)")
        }
        guard (1...1_000_000).contains(fusionK) else { throw bad("the fusion constant must be 1 to 1000000, not \(fusionK)") }
        if let e = expansion {
            guard (1...Self.maxExpansionHops).contains(e.hops) else {
                throw bad("expansion hops must be 1 to \(Self.maxExpansionHops), not \(e.hops)")
            }
            guard e.perHit > 0 else { throw bad("nodes per expanded hit must be positive, not \(e.perHit)") }
        }
        if let v = vector {
            if v.values.isEmpty { throw bad("the query vector is empty") }
            if v.values.contains(where: { !$0.isFinite }) { throw bad("the query vector has a NaN or infinite component") }
        }
    }
}
