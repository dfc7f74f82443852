import Foundation

/// A full-text search (SPEC.md 7.11): words ranked by BM25, `"quoted phrases"` and `prefix*`.
///
/// Bare words are alternatives (a node with any of them matches); a phrase matches a node that
/// has its terms adjacent and in order within one indexed property; `pre*` matches every term
/// that starts with `pre` (at most ``maxPrefixExpansions`` of them, in byte order).
public struct TextQuery: Sendable, Hashable {
    /// The query text.
    public var text: String
    /// The most hits returned, 1 to ``maxLimit``.
    public var limit: Int
    /// Which nodes may be returned (by default: valid now, any label).
    public var filter: NodeFilter
    /// The ranking's parameters.
    public var parameters: BM25Parameters

    public init(_ text: String, limit: Int = 10, filter: NodeFilter = NodeFilter(), parameters: BM25Parameters = BM25Parameters()) {
        self.text = text
        self.limit = limit
        self.filter = filter
        self.parameters = parameters
    }

    /// The longest query text, in UTF-8 bytes.
    public static let maxTextBytes = 4096
    /// The most distinct terms a query may name (prefix expansions not counted).
    public static let maxTerms = 64
    /// The most terms one `prefix*` expands to.
    public static let maxPrefixExpansions = 256
    /// The largest ``limit``.
    public static let maxLimit = 10_000

    /// Checks the limit and parameters.
    func validate() throws(GraphError) {
        guard (1...Self.maxLimit).contains(limit) else {
            throw .invalidTextQuery("limit \(limit) is outside 1...\(Self.maxLimit)")
        }
        try parameters.validate()
    }
}

/// The BM25 parameters: `k1` (term frequency saturation) and `b` (length normalisation).
public struct BM25Parameters: Sendable, Hashable {
    public var k1: Double
    public var b: Double

    public init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    func validate() throws(GraphError) {
        guard k1.isFinite, k1 >= 0 else { throw .invalidTextQuery("k1 must be a finite number >= 0, not \(k1)") }
        guard b.isFinite, (0...1).contains(b) else { throw .invalidTextQuery("b must be within 0...1, not \(b)") }
    }

    /// The inverse document frequency of a term in `df` of `n` documents:
    /// `ln(1 + (n - df + 0.5) / (df + 0.5))`, always positive.
    public static func idf(documentFrequency df: Double, documents n: Double) -> Double {
        log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// One term's contribution to a document's score.
    public func termScore(idf: Double, frequency tf: Double, length: Double, averageLength: Double) -> Double {
        let norm = averageLength > 0 ? length / averageLength : 1
        return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * norm))
    }
}

/// One node a full-text search found.
public struct TextHit: Sendable, Hashable {
    /// The node.
    public var id: EntityID
    /// Its BM25 score (higher is better).
    public var score: Double
    /// The query terms (prefix expansions included) the node contains, as indexed, in byte order.
    public var matchedTerms: [String]

    public init(id: EntityID, score: Double, matchedTerms: [String]) {
        self.id = id
        self.score = score
        self.matchedTerms = matchedTerms
    }
}
