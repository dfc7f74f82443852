import EngramIPLD

/// Walks the nodes of one level of a tree left to right, through the path from the root.
struct LevelCursor {
    let storage: ProllyStorage
    let level: Int
    let root: ProllyNode
    /// (node, child index) from the root down to `level + 1`.
    var path: [(node: ProllyNode, index: Int)] = []
    /// The node at `level` the cursor is on.
    var current: ProllyNode

    init(root: ProllyNode, level: Int, storage: ProllyStorage) {
        self.root = root
        self.level = level
        self.storage = storage
        self.current = root
    }

    /// Moves to the node a key belongs in: the first whose last key is not less than `key`,
    /// or the level's last node. Seeks go forward only (each key greater than the last node
    /// visited), so the path is kept while its nodes still cover `key`.
    mutating func seek(_ key: [UInt8]) throws(ProllyError) {
        var depth = path.count
        while depth > 0 {
            let node = path[depth - 1].node
            if node.compareKey(at: node.count - 1, key) >= 0 || isRightmost(depth: depth - 1) { break }
            depth -= 1
        }
        var node = root
        if depth > 0 {
            node = path[depth - 1].node
            path.removeSubrange((depth - 1)...)
        } else {
            path.removeAll(keepingCapacity: true)
        }
        while node.level > level {
            let i = node.childIndex(for: key)
            path.append((node, i))
            node = try storage.child(of: node, at: i)
        }
        current = node
    }

    /// Whether every path entry down to `depth` points at its node's last child.
    func isRightmost(depth: Int) -> Bool {
        for d in 0..<depth where path[d].index != path[d].node.count - 1 { return false }
        return true
    }

    /// Whether the current node is the rightmost of its level.
    var isLast: Bool { isRightmost(depth: path.count) }

    /// Moves to the next node of the level; false at the end.
    mutating func advance() throws(ProllyError) -> Bool {
        var d = path.count - 1
        while d >= 0 && path[d].index == path[d].node.count - 1 { d -= 1 }
        if d < 0 { return false }
        path[d].index += 1
        path.removeSubrange((d + 1)...)
        var node = try storage.child(of: path[d].node, at: path[d].index)
        while node.level > level {
            path.append((node, 0))
            node = try storage.child(of: node, at: 0)
        }
        current = node
        return true
    }
}
