// Removed when the vectors lane is merged, which defines it.
/// How query and stored vectors are compared.
public enum VectorMetric: String, Sendable, Hashable {
    /// Cosine similarity, and dot product.
    case cosine, dot
}
