import EngramIPLD

extension GraphJSON {
    /// A recall result: `{"commit"?, "budget": {"unit", "limit", "used"}, "items": [...],
    /// "dropped": [...]}` where an item is `{"node", "score", "cost", "reasons"}` and a dropped
    /// one `{"id", "score", "cost", "reasons"}` (SPEC.md 7.13).
    public static func value(_ result: RecallResult) -> IPLD {
        let unit: String
        switch result.budget {
        case .bytes: unit = "bytes"
        case .tokens: unit = "tokens"
        }
        var m: IPLDMap = [
            "budget": ["unit": .string(unit), "limit": .int(Int64(result.budget.limit)), "used": .int(Int64(result.used))],
            "items": .list(result.items.map { item in
                ["node": value(item.node), "score": .float(item.score), "cost": .int(Int64(item.cost)),
                 "reasons": .list(item.reasons.map(value))]
            }),
            "dropped": .list(result.dropped.map { d in
                ["id": .string(d.id.description), "score": .float(d.score), "cost": .int(Int64(d.cost)),
                 "reasons": .list(d.reasons.map(value))]
            }),
        ]
        if let commit = result.commit { m["commit"] = .string(commit.description) }
        return .map(m)
    }

    /// A reason: `{"lane", "rank", "score", "terms"}` or `{"expansion": {"from", "path", "hops"}}`.
    public static func value(_ reason: RecallReason) -> IPLD {
        switch reason {
        case .lane(let lane, let rank, let score, let terms):
            ["lane": .string(lane.rawValue), "rank": .int(Int64(rank)), "score": .float(score),
             "terms": .list(terms.map { .string($0) })]
        case .expansion(let from, let path, let hops):
            ["expansion": ["from": .string(from.description), "path": .list(path.map { .string($0.description) }),
                           "hops": .int(Int64(hops))]]
        }
    }
}
