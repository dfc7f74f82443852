import EngramIPLD

/// What an agent asks memory for: text, a vector or both, filtered, optionally expanded through
/// the graph, and packed under a budget (SPEC.md 7.13).
public struct RecallRequest: Sendable {
    /// Text for the full-text lane (BM25); nil skips the lane unless an embedder turns it into
    /// the vector lane's query.
    public var text: String?
    /// A query vector for the vector lane, with the model its vectors were made by.
    public var vector: QueryVector?
    /// Which nodes the lanes may return (labels, property equalities, validity time).
    public var filter: NodeFilter
    /// How far each hit is expanded through the graph; none by default.
    public var expansion: RecallExpansion?
    /// The size the packed result must fit in.
    public var budget: RecallBudget
    /// How many candidates each lane contributes before fusion.
    public var candidatesPerLane: Int
    /// The constant of reciprocal rank fusion: a hit at rank r (from 1) in a lane adds
    /// 1 / (fusionK + r) to its score.
    public var fusionK: Int

    /// A vector and the model that made it.
    public struct QueryVector: Sendable, Hashable {
        public var values: [Float]
        public var model: String
        public var metric: VectorMetric
        public init(_ values: [Float], model: String, metric: VectorMetric = .cosine) {
            self.values = values
            self.model = model
            self.metric = metric
        }
    }

    public init(text: String? = nil, vector: QueryVector? = nil, filter: NodeFilter = NodeFilter(),
                expansion: RecallExpansion? = nil, budget: RecallBudget = .tokens(2_000),
                candidatesPerLane: Int = 50, fusionK: Int = 60) {
        self.text = text
        self.vector = vector
        self.filter = filter
        self.expansion = expansion
        self.budget = budget
        self.candidatesPerLane = candidatesPerLane
        self.fusionK = fusionK
    }

    /// The largest `candidatesPerLane` and expansion depth accepted.
    public static let maxCandidatesPerLane = 10_000
    public static let maxExpansionHops = 5
}

/// Following edges from each hit to bring its context along.
public struct RecallExpansion: Sendable, Hashable {
    /// How many hops at most (1 ... ``RecallRequest/maxExpansionHops``).
    public var hops: Int
    /// The edge labels followed; empty follows every label.
    public var edgeLabels: [String]
    /// The direction edges are followed in.
    public var direction: Direction
    /// The most nodes one hit brings along.
    public var perHit: Int

    public init(hops: Int, edgeLabels: [String] = [], direction: Direction = .both, perHit: Int = 10) {
        self.hops = hops
        self.edgeLabels = edgeLabels
        self.direction = direction
        self.perHit = perHit
    }
}

/// The size a recall result must fit in. An item costs the UTF-8 bytes of its node as compact
/// DAG-JSON (`{"id","label","props"}`); a token is counted as 4 bytes, rounded up per item.
public enum RecallBudget: Sendable, Hashable {
    case bytes(Int)
    case tokens(Int)

    /// What an item of `bytes` encoded bytes costs in this budget's unit.
    public func cost(ofBytes bytes: Int) -> Int {
        switch self {
        case .bytes: bytes
        case .tokens: (bytes + 3) / 4
        }
    }

    /// The budget's size in its own unit.
    public var limit: Int {
        switch self {
        case .bytes(let n), .tokens(let n): n
        }
    }
}
