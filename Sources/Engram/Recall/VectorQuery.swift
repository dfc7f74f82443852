/// How a vector search scores a stored vector against the query.
public enum VectorMetric: String, Sendable, Hashable, CaseIterable {
    /// Cosine similarity, in -1...1; 0 when either vector is all zeros.
    case cosine
    /// The dot product.
    case dot
}

/// An exact k-nearest-neighbour search over the vectors of one model (SPEC.md 7.12).
public struct VectorQuery: Sendable, Hashable {
    /// The query vector; it must have the dimension of the model's stored vectors.
    public var vector: [Float]
    /// The model whose vectors are searched (compared as UTF-8 bytes).
    public var model: String
    /// How many hits at most.
    public var k: Int
    /// The score.
    public var metric: VectorMetric
    /// Which nodes may be returned (label, properties, validity).
    public var filter: NodeFilter

    public init(vector: [Float], model: String, k: Int = 10, metric: VectorMetric = .cosine, filter: NodeFilter = NodeFilter()) {
        self.vector = vector
        self.model = model
        self.k = k
        self.metric = metric
        self.filter = filter
    }

    /// A query for `text`, embedded by `embedder` (its model is the model searched).
    public init(text: String, embedder: some Embedder, k: Int = 10, metric: VectorMetric = .cosine,
                filter: NodeFilter = NodeFilter()) throws(GraphError) {
        let vectors: [[Float]]
        do { vectors = try embedder.embed([text]) } catch { throw .invalidVectorQuery("the embedder failed: \(error)") }
        guard vectors.count == 1, let vector = vectors.first else {
            throw .invalidVectorQuery("the embedder returned \(vectors.count) vectors for one text")
        }
        self.init(vector: vector, model: embedder.model, k: k, metric: metric, filter: filter)
    }
}

/// One node a vector search found, with its score (higher is nearer).
public struct VectorHit: Sendable, Hashable {
    /// The node.
    public var id: EntityID
    /// Its score under the query's metric.
    public var score: Double

    public init(id: EntityID, score: Double) {
        self.id = id
        self.score = score
    }

    /// Whether `self` ranks before `other`: higher score, then smaller id.
    func ranksBefore(_ other: VectorHit) -> Bool {
        score != other.score ? score > other.score : id < other.id
    }
}

/// The best `k` hits seen so far: a binary heap whose root is the worst kept hit.
struct TopK {
    let k: Int
    private(set) var heap: [VectorHit] = []

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(Swift.min(k, 4096))
    }

    /// Whether a hit would be kept (checked before the costlier filter).
    func admits(_ hit: VectorHit) -> Bool {
        guard k > 0 else { return false }
        guard heap.count == k, let worst = heap.first else { return true }
        return hit.ranksBefore(worst)
    }

    mutating func insert(_ hit: VectorHit) {
        guard admits(hit) else { return }
        if heap.count < k {
            heap.append(hit)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[parent].ranksBefore(heap[i]) else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        } else {
            heap[0] = hit
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, heap[worst].ranksBefore(heap[l]) { worst = l }
                if r < heap.count, heap[worst].ranksBefore(heap[r]) { worst = r }
                if worst == i { break }
                heap.swapAt(worst, i)
                i = worst
            }
        }
    }

    /// The kept hits, best first.
    var sorted: [VectorHit] { heap.sorted { $0.ranksBefore($1) } }
}
