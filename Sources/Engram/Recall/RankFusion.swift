import EngramIPLD

/// One lane's ranked hits, best first.
struct RankedLane {
    var lane: RecallLane
    var hits: [(id: EntityID, score: Double, terms: [String])]
}

/// Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009): a document at rank r in a lane
/// gets 1 / (k + r); its fused score is the sum over the lanes that found it. Rank-based, so
/// BM25 scores and cosine similarities need no common scale.
enum RankFusion {
    struct Fused {
        var id: EntityID
        var score: Double
        var reasons: [RecallReason]
    }

    /// The fused list, best first; equal scores in id order so the result is deterministic.
    static func reciprocal(_ lanes: [RankedLane], k: Int) -> [Fused] {
        var byID: [EntityID: Fused] = [:]
        for lane in lanes {
            for (i, hit) in lane.hits.enumerated() {
                let rank = i + 1
                let reason = RecallReason.lane(lane.lane, rank: rank, score: hit.score, terms: hit.terms)
                let add = 1.0 / Double(k + rank)
                var fused = byID[hit.id] ?? Fused(id: hit.id, score: 0, reasons: [])
                fused.score += add
                fused.reasons.append(reason)
                byID[hit.id] = fused
            }
        }
        return byID.values.sorted { a, b in a.score != b.score ? a.score > b.score : a.id < b.id }
    }
}
