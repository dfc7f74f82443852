import EngramIPLD
import EngramStorage

/// Levels of pending nodes from `base` upward: entries go in at the base, closed nodes become
/// entries of the level above. Memory is one node per level, whatever the entry count.
struct LevelStack {
    let hashFunction: HashFunction
    let base: Int
    var levels: [PendingNode] = []
    var emitted: [Int] = []
    /// Nodes closed and not yet drained.
    var blocks: [Block] = []
    var nodes: [ProllyNode] = []
    var keepNodes: Bool

    init(base: Int, hashFunction: HashFunction, keepNodes: Bool) {
        self.base = base
        self.hashFunction = hashFunction
        self.keepNodes = keepNodes
        levels = [PendingNode(level: base)]
        emitted = [0]
    }

    /// Appends the entry for `node` (of level `base - 1`) at the base.
    mutating func appendChild(_ node: ProllyNode) throws(ProllyError) {
        if levels[0].appendChild(node) { try emit(0) }
    }

    mutating func appendLeaf(key: [UInt8], value: ProllyValue) throws(ProllyError) {
        if levels[0].append(key: key, value: value) { try emit(0) }
    }

    mutating func emit(_ index: Int) throws(ProllyError) {
        // Level `maxHeight` may collect entries (a single one leaves its child as the root) but
        // never closes a node: that would make the tree one level too tall.
        guard base + index < ProllyLimits.maxHeight else { throw .heightLimitExceeded(base + index + 1) }
        let node = close(index)
        emitted[index] += 1
        if index + 1 == levels.count {
            levels.append(PendingNode(level: base + index + 1))
            emitted.append(0)
        }
        if levels[index + 1].appendChild(node) { try emit(index + 1) }
    }

    mutating func close(_ index: Int) -> ProllyNode {
        let node = levels[index].close(hashFunction: hashFunction)
        blocks.append(Block(unchecked: node.cid, bytes: node.bytes))
        if keepNodes { nodes.append(node) }
        return node
    }

    /// Closes every level and returns the root: the lowest level with a single node. Nil when
    /// nothing was appended.
    mutating func finish() throws(ProllyError) -> CID? {
        var index = 0
        while true {
            if index == levels.count - 1 && emitted[index] == 0 {
                let level = levels[index].level
                if levels[index].isEmpty { return nil }
                // A branch with one child is never a root: the child is.
                if level > 0 && levels[index].buffer.count == 1 { return levels[index].buffer.child(at: 0) }
                guard level < ProllyLimits.maxHeight else { throw .heightLimitExceeded(level + 1) }
                return close(index).cid
            }
            if !levels[index].isEmpty { try emit(index) }
            index += 1
        }
    }
}
