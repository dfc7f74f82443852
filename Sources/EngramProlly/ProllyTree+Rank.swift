import EngramIPLD

extension ProllyTree {
    /// The number of entries with a key less than `key`, from the stored subtree counts:
    /// one node per level.
    public func rank(of key: [UInt8]) throws(ProllyError) -> UInt64 {
        var node = try rootNode()
        var below: UInt64 = 0
        while node.level > 0 {
            let i = node.lowerBound(key)
            for c in 0..<i { below += node.childEntryCount(at: c) }
            if i == node.count { return below }
            node = try storage.child(of: node, at: i)
        }
        return below + UInt64(node.lowerBound(key))
    }

    /// The entry at position `index` in key order (0-based), from the subtree counts.
    public func select(_ index: UInt64) throws(ProllyError) -> ProllyEntry {
        var node = try rootNode()
        guard index < node.entryCount else { throw .indexOutOfRange(index, count: node.entryCount) }
        var remaining = index
        while node.level > 0 {
            // `remaining` is below the node's entry count (the root's checked above, each
            // child's equal to its parent's count by `child(of:at:)`), so a child is found.
            var i = 0
            while remaining >= node.childEntryCount(at: i) {
                remaining -= node.childEntryCount(at: i)
                i += 1
            }
            node = try storage.child(of: node, at: i)
        }
        // A leaf's entry count is its number of keys (decoded so), so this is in range.
        return node.entry(at: Int(remaining))
    }

    /// The number of entries with `lower <= key < upper` (either bound may be absent).
    public func count(from lower: [UInt8]?, to upper: [UInt8]?) throws(ProllyError) -> UInt64 {
        var low: UInt64 = 0
        if let lower { low = try rank(of: lower) }
        let high = if let upper { try rank(of: upper) } else { try count() }
        return high > low ? high - low : 0
    }
}
