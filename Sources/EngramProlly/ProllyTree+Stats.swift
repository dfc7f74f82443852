/// The shape of a tree: height, nodes per level and node sizes.
public struct ProllyTreeStats: Hashable, Sendable {
    /// One level's nodes.
    public struct Level: Hashable, Sendable {
        /// The level (0: leaves).
        public var level: Int
        /// Nodes at this level.
        public var nodes = 0
        /// Entries (or child links) in them.
        public var entries = 0
        /// Their encoded bytes.
        public var bytes = 0
        /// The smallest node's bytes.
        public var minBytes = Int.max
        /// The largest node's bytes.
        public var maxBytes = 0
    }

    /// Levels in the tree.
    public var height: Int
    /// Entries in the map.
    public var entryCount: UInt64
    /// Per level, leaves first.
    public var levels: [Level]
    /// Node counts by encoded size: bucket `i` counts nodes of `i * 1024 ..< (i + 1) * 1024` bytes.
    public var sizeHistogram: [Int]

    /// Nodes at every level.
    public var nodeCount: Int { levels.reduce(0) { $0 + $1.nodes } }
    /// Encoded bytes of every node.
    public var totalBytes: Int { levels.reduce(0) { $0 + $1.bytes } }
}

extension ProllyTree {
    /// Walks every node and summarises the tree's shape.
    public func stats() throws(ProllyError) -> ProllyTreeStats {
        let top = try rootNode()
        var levels = (0...top.level).map { ProllyTreeStats.Level(level: $0) }
        var histogram: [Int] = []
        var stack = [top]
        while let node = stack.popLast() {
            var level = levels[node.level]
            level.nodes += 1
            level.entries += node.count
            level.bytes += node.byteCount
            level.minBytes = min(level.minBytes, node.byteCount)
            level.maxBytes = max(level.maxBytes, node.byteCount)
            levels[node.level] = level
            let bucket = node.byteCount / 1024
            if histogram.count <= bucket { histogram += Array(repeating: 0, count: bucket + 1 - histogram.count) }
            histogram[bucket] += 1
            for i in 0..<(node.isLeaf ? 0 : node.count) { stack.append(try storage.child(of: node, at: i)) }
        }
        return ProllyTreeStats(height: top.level + 1, entryCount: top.entryCount, levels: levels, sizeHistogram: histogram)
    }
}
