// Removed when the vectors lane is merged, which defines it.
public enum VectorMetric: String, Sendable, Hashable { case cosine, dot }
