import EngramIPLD

/// How one key differs between two trees.
public enum ProllyChange: Hashable, Sendable {
    /// Only in the second tree.
    case added(ProllyValue)
    /// Only in the first tree.
    case removed(ProllyValue)
    /// In both, with different values.
    case changed(old: ProllyValue, new: ProllyValue)

    /// The value in the first tree, if any.
    public var old: ProllyValue? {
        switch self {
        case .added: nil
        case .removed(let v), .changed(let v, _): v
        }
    }

    /// The value in the second tree, if any.
    public var new: ProllyValue? {
        switch self {
        case .removed: nil
        case .added(let v), .changed(_, let v): v
        }
    }
}

/// One difference between two trees.
public struct ProllyDiffEntry: Hashable, Sendable {
    /// The key that differs.
    public var key: [UInt8]
    /// How it differs.
    public var change: ProllyChange

    /// The change `change` at `key`.
    public init(key: [UInt8], change: ProllyChange) {
        self.key = key
        self.change = change
    }
}

/// The differences between two trees in key order, computed lazily.
///
/// Each side is a stack of positions inside opened nodes; the item at the top is a child subtree
/// (in a branch) or an entry (in a leaf). Two subtrees with the same CID hold the same entries
/// and are skipped without being read; otherwise the taller one is opened. So a diff reads about
/// `height` nodes per change on each side, and nothing is copied out of a node until it differs.
public struct ProllyDiffIterator {
    struct Frame {
        let node: ProllyNode
        var index: Int
        /// Keys of this node are above key `lower.index` of `lower.node` (nil: no bound).
        let lower: (node: ProllyNode, index: Int)?
    }

    /// One side: its storage and its stack of open nodes.
    struct Side {
        let storage: ProllyStorage
        var frames: [Frame] = []
    }

    var old: Side
    var new: Side
    let lower: [UInt8]?
    let upper: [UInt8]?

    init(from a: ProllyTree, to b: ProllyTree, lower: [UInt8]?, upper: [UInt8]?) throws(ProllyError) {
        old = Side(storage: a.storage)
        new = Side(storage: b.storage)
        self.lower = lower
        self.upper = upper
        guard a.root != b.root else { return }
        try open(&old, try a.rootNode(), lower: nil)
        try open(&new, try b.rootNode(), lower: nil)
    }

    /// Pushes a node, starting at its first child or entry that can reach the range.
    func open(_ side: inout Side, _ node: ProllyNode, lower nodeLower: (node: ProllyNode, index: Int)?) throws(ProllyError) {
        let start = lower.map { node.lowerBound($0) } ?? 0
        side.frames.append(Frame(node: node, index: start, lower: nodeLower))
    }

    /// The level of the item on top (-1 for an entry), or nil when the side is done. Drops
    /// exhausted nodes and everything at or past the upper bound.
    func top(_ side: inout Side) -> Int? {
        while let frame = side.frames.last {
            let node = frame.node
            if frame.index >= node.count {
                side.frames.removeLast()
                continue
            }
            if let upper {
                // The first key the item can hold: the entry's own, or one above the previous child's.
                let first = node.isLeaf ? (node, frame.index) : frame.index == 0 ? frame.lower : (node, frame.index - 1)
                if let first, first.node.compareKey(at: first.index, upper) >= 0 {
                    side.frames.removeLast()
                    continue
                }
            }
            return node.level - 1
        }
        return nil
    }

    /// Opens the subtree on top of a side.
    func expand(_ side: inout Side) throws(ProllyError) {
        let frame = side.frames[side.frames.count - 1]
        side.frames[side.frames.count - 1].index += 1
        let child = try side.storage.child(of: frame.node, at: frame.index)
        try open(&side, child, lower: frame.index == 0 ? frame.lower : (frame.node, frame.index - 1))
    }

    /// Takes the entry on top of a side.
    func pop(_ side: inout Side) -> (key: [UInt8], value: ProllyValue) {
        let frame = side.frames[side.frames.count - 1]
        side.frames[side.frames.count - 1].index += 1
        return (frame.node.key(at: frame.index), frame.node.value(at: frame.index))
    }

    /// The next difference, or nil when there are no more.
    public mutating func next() throws(ProllyError) -> ProllyDiffEntry? {
        while true {
            let a = top(&old)
            let b = top(&new)
            switch (a, b) {
            case (nil, nil):
                return nil
            case (.some(-1), nil):
                let (k, v) = pop(&old)
                return ProllyDiffEntry(key: k, change: .removed(v))
            case (nil, .some(-1)):
                let (k, v) = pop(&new)
                return ProllyDiffEntry(key: k, change: .added(v))
            case (_?, nil):
                try expand(&old)
            case (nil, _?):
                try expand(&new)
            case (.some(-1), .some(-1)):
                let x = old.frames[old.frames.count - 1]
                let y = new.frames[new.frames.count - 1]
                let c = y.node.withKey(at: y.index) { x.node.compareKey(at: x.index, $0) }
                if c < 0 {
                    let (k, v) = pop(&old)
                    return ProllyDiffEntry(key: k, change: .removed(v))
                }
                if c > 0 {
                    let (k, v) = pop(&new)
                    return ProllyDiffEntry(key: k, change: .added(v))
                }
                if x.node.hasSamePayload(at: x.index, as: y.node, at: y.index) {
                    old.frames[old.frames.count - 1].index += 1
                    new.frames[new.frames.count - 1].index += 1
                    continue
                }
                let (k, va) = pop(&old)
                let (_, vb) = pop(&new)
                return ProllyDiffEntry(key: k, change: .changed(old: va, new: vb))
            case (let la?, let lb?):
                if la >= 0 && lb >= 0 {
                    let x = old.frames[old.frames.count - 1]
                    let y = new.frames[new.frames.count - 1]
                    if x.node.hasSamePayload(at: x.index, as: y.node, at: y.index) {
                        old.frames[old.frames.count - 1].index += 1
                        new.frames[new.frames.count - 1].index += 1
                        continue
                    }
                }
                if la >= lb { try expand(&old) }
                if lb >= la { try expand(&new) }
            }
        }
    }

    /// Every remaining difference, collected.
    public mutating func collect() throws(ProllyError) -> [ProllyDiffEntry] {
        var out: [ProllyDiffEntry] = []
        while let entry = try next() { out.append(entry) }
        return out
    }
}

extension ProllyTree {
    /// What changed from this tree to `other`, lazily, optionally restricted to
    /// `lower <= key < upper`.
    public func diff(to other: ProllyTree, from lower: [UInt8]? = nil, to upper: [UInt8]? = nil) throws(ProllyError) -> ProllyDiffIterator {
        try ProllyDiffIterator(from: self, to: other, lower: lower, upper: upper)
    }
}
