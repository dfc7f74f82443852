/// Resource limits of a decode, checked before anything is allocated.
public struct DAGCBORLimits: Sendable, Hashable {
    /// The deepest nesting of lists and maps accepted.
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxSize: Int

    public init(maxDepth: Int = 256, maxSize: Int = 16 << 20) {
        self.maxDepth = maxDepth
        self.maxSize = maxSize
    }

    /// 256 levels, 16 MiB.
    public static let `default` = DAGCBORLimits()
}
