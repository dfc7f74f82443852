import EngramIPLD

/// A position in a tree's entries that moves forward and backward, reading nodes lazily.
///
/// The cursor keeps the path from the root to its leaf, so a step reads a node only when it
/// crosses into another leaf.
public struct ProllyCursor {
    /// The tree walked.
    public let tree: ProllyTree
    var path: [(node: ProllyNode, index: Int)] = []
    var atEnd = true

    /// A cursor past the end; seek before reading.
    public init(tree: ProllyTree) { self.tree = tree }

    /// The entry at the cursor, or nil past the end.
    public var entry: ProllyEntry? {
        guard !atEnd, let (leaf, i) = path.last else { return nil }
        return leaf.entry(at: i)
    }

    /// The leaf and the entry's index in it, or nil past the end: read the entry in place
    /// (``ProllyNode/withKey(at:_:)``, ``ProllyNode/withValueBytes(at:_:)``) without copying it.
    public var position: (leaf: ProllyNode, index: Int)? {
        guard !atEnd, let (leaf, i) = path.last else { return nil }
        return (leaf, i)
    }

    /// The key at the cursor, or nil past the end.
    public var key: [UInt8]? {
        guard !atEnd, let (leaf, i) = path.last else { return nil }
        return leaf.key(at: i)
    }

    /// Moves to the first entry whose key is not less than `key` (past the end if none).
    public mutating func seek(to key: [UInt8]) throws(ProllyError) {
        path.removeAll(keepingCapacity: true)
        var node = try tree.rootNode()
        guard node.count > 0 else { atEnd = true; return }
        while node.level > 0 {
            let i = node.childIndex(for: key)
            path.append((node, i))
            node = try tree.storage.child(of: node, at: i)
        }
        let i = node.lowerBound(key)
        path.append((node, i))
        atEnd = false
        if i == node.count {
            path[path.count - 1].index = node.count - 1
            _ = try moveNext()
        }
    }

    /// Moves to the first entry (past the end when the tree is empty).
    public mutating func seekToFirst() throws(ProllyError) {
        try seek(to: [])
    }

    /// Moves to the last entry (past the end when the tree is empty).
    public mutating func seekToLast() throws(ProllyError) {
        path.removeAll(keepingCapacity: true)
        let root = try tree.rootNode()
        guard root.count > 0 else { atEnd = true; return }
        try descend(from: root, rightmost: true)
        atEnd = false
    }

    mutating func descend(from start: ProllyNode, rightmost: Bool) throws(ProllyError) {
        var node = start
        while true {
            let i = rightmost ? node.count - 1 : 0
            path.append((node, i))
            if node.level == 0 { return }
            node = try tree.storage.child(of: node, at: i)
        }
    }

    /// Steps to the next entry; false (and past the end) when there is none.
    @discardableResult
    public mutating func moveNext() throws(ProllyError) -> Bool {
        guard !atEnd, !path.isEmpty else { return false }
        let last = path.count - 1
        if path[last].index + 1 < path[last].node.count {
            path[last].index += 1
            return true
        }
        var d = last - 1
        while d >= 0 && path[d].index == path[d].node.count - 1 { d -= 1 }
        guard d >= 0 else { atEnd = true; return false }
        path[d].index += 1
        let child = try tree.storage.child(of: path[d].node, at: path[d].index)
        path.removeSubrange((d + 1)...)
        try descend(from: child, rightmost: false)
        return true
    }

    /// Steps to the previous entry; false (staying put) at the first one. From past the end
    /// it moves to the last entry.
    @discardableResult
    public mutating func movePrevious() throws(ProllyError) -> Bool {
        if atEnd {
            try seekToLast()
            return !atEnd
        }
        let last = path.count - 1
        if path[last].index > 0 {
            path[last].index -= 1
            return true
        }
        var d = last - 1
        while d >= 0 && path[d].index == 0 { d -= 1 }
        guard d >= 0 else { return false }
        path[d].index -= 1
        let child = try tree.storage.child(of: path[d].node, at: path[d].index)
        path.removeSubrange((d + 1)...)
        try descend(from: child, rightmost: true)
        return true
    }
}

/// The entries of a key range in order, read lazily.
public struct ProllyRangeIterator {
    var cursor: ProllyCursor
    let upper: [UInt8]?
    var started = false
    var done = false

    /// The next entry of the range, or nil after the last.
    public mutating func next() throws(ProllyError) -> ProllyEntry? {
        guard !done else { return nil }
        if started { try cursor.moveNext() } else { started = true }
        guard let entry = cursor.entry, upper.map({ KeyOrder.compare(entry.key, $0) < 0 }) ?? true else {
            done = true
            return nil
        }
        return entry
    }
}

extension ProllyTree {
    /// The entries with `lower <= key < upper` (either bound may be absent), lazily.
    public func entries(from lower: [UInt8]? = nil, to upper: [UInt8]? = nil) throws(ProllyError) -> ProllyRangeIterator {
        var cursor = ProllyCursor(tree: self)
        try cursor.seek(to: lower ?? [])
        return ProllyRangeIterator(cursor: cursor, upper: upper)
    }

    /// The entries whose key starts with `prefix`, lazily.
    public func entries(withPrefix prefix: [UInt8]) throws(ProllyError) -> ProllyRangeIterator {
        try entries(from: prefix, to: KeyOrder.prefixEnd(prefix))
    }

    /// Every entry of a range, collected.
    public func collect(from lower: [UInt8]? = nil, to upper: [UInt8]? = nil) throws(ProllyError) -> [ProllyEntry] {
        var iterator = try entries(from: lower, to: upper)
        var out: [ProllyEntry] = []
        while let entry = try iterator.next() { out.append(entry) }
        return out
    }
}
