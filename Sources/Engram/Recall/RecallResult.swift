import EngramIPLD

/// The lanes a hit can come from.
public enum RecallLane: String, Sendable, Hashable {
    /// Full text, ranked by BM25.
    case text
    /// Vector similarity.
    case vector
}

/// Why an item is in a recall result.
public enum RecallReason: Sendable, Hashable {
    /// Found by a lane at `rank` (from 1) with the lane's own `score`; `terms` are the matched
    /// terms of the text lane (empty for vectors).
    case lane(RecallLane, rank: Int, score: Double, terms: [String])
    /// Reached from the hit `from` through `path` (edge ids, nearest first), `hops` long.
    case expansion(from: EntityID, path: [EntityID], hops: Int)
}

/// One node returned by a recall.
public struct RecallItem: Sendable {
    /// The node, as it is in the recalled commit.
    public var node: Node
    /// The fused score (for an expansion: its hit's score divided by `hops + 1`).
    public var score: Double
    /// Every reason it was returned: one per lane that found it, or its expansion path.
    public var reasons: [RecallReason]
    /// What it costs in the budget's unit.
    public var cost: Int
}

/// An item that matched but did not fit in what was left of the budget. A dropped hit is not
/// expanded, so its expansions are not listed.
public struct DroppedItem: Sendable {
    public var id: EntityID
    public var score: Double
    public var reasons: [RecallReason]
    public var cost: Int
}

/// What a recall found, packed under its budget.
public struct RecallResult: Sendable {
    /// The commit recalled from (nil for an empty, unborn state).
    public var commit: CID?
    /// The items returned, best first; each hit is followed by its expansions.
    public var items: [RecallItem]
    /// What matched but was left out, in the order it would have come.
    public var dropped: [DroppedItem]
    /// The budget, and how much of it the items use.
    public var budget: RecallBudget
    public var used: Int
}
