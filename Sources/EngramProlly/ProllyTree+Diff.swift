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
    public var key: [UInt8]
    public var change: ProllyChange

    public init(key: [UInt8], change: ProllyChange) {
        self.key = key
        self.change = change
    }
}

/// The differences between two trees in key order, computed lazily.
///
/// Both sides are kept as stacks of pending subtrees and entries. Two subtrees with the same CID
/// hold the same entries and are skipped without being read; otherwise the taller one is opened.
/// So a diff reads about `height` nodes per change on each side.
public struct ProllyDiffIterator {
    enum Item {
        case node(CID, level: Int, lower: [UInt8]?, last: [UInt8])
        case entry([UInt8], ProllyValue)

        var level: Int {
            switch self {
            case .node(_, let level, _, _): level
            case .entry: -1
            }
        }
    }

    let oldStorage: ProllyStorage
    let newStorage: ProllyStorage
    var old: [Item] = []
    var new: [Item] = []
    let lower: [UInt8]?
    let upper: [UInt8]?

    init(from a: ProllyTree, to b: ProllyTree, lower: [UInt8]?, upper: [UInt8]?) throws(ProllyError) {
        oldStorage = a.storage
        newStorage = b.storage
        self.lower = lower
        self.upper = upper
        guard a.root != b.root else { return }
        for (tree, isOld) in [(a, true), (b, false)] {
            let root = try tree.rootNode()
            guard let last = root.lastKey else { continue }
            let item = Item.node(root.cid, level: root.level, lower: nil, last: last)
            if isOld { old.append(item) } else { new.append(item) }
        }
    }

    func inRange(_ key: [UInt8]) -> Bool {
        if let lower, KeyOrder.compare(key, lower) < 0 { return false }
        if let upper, KeyOrder.compare(key, upper) >= 0 { return false }
        return true
    }

    /// Replaces the subtree on top of `stack` by its children (or entries), dropping those
    /// outside the range.
    func expand(_ stack: inout [Item], storage: ProllyStorage) throws(ProllyError) {
        guard case .node(let cid, _, let nodeLower, _) = stack.removeLast() else { return }
        let node = try storage.node(cid)
        var items: [Item] = []
        items.reserveCapacity(node.count)
        for i in 0..<node.count {
            let key = node.keys[i]
            if node.isLeaf {
                if inRange(key) { items.append(.entry(key, node.values[i])) }
                continue
            }
            let childLower = i == 0 ? nodeLower : node.keys[i - 1]
            if let lower, KeyOrder.compare(key, lower) < 0 { continue }
            if let upper, let childLower, KeyOrder.compare(childLower, upper) >= 0 { break }
            items.append(.node(node.children[i], level: node.level - 1, lower: childLower, last: key))
        }
        stack.append(contentsOf: items.reversed())
    }

    /// The next difference, or nil when there are no more.
    public mutating func next() throws(ProllyError) -> ProllyDiffEntry? {
        while true {
            guard let a = old.last else {
                guard let b = new.last else { return nil }
                if case .entry(let k, let v) = b {
                    new.removeLast()
                    return ProllyDiffEntry(key: k, change: .added(v))
                }
                try expand(&new, storage: newStorage)
                continue
            }
            guard let b = new.last else {
                if case .entry(let k, let v) = a {
                    old.removeLast()
                    return ProllyDiffEntry(key: k, change: .removed(v))
                }
                try expand(&old, storage: oldStorage)
                continue
            }
            switch (a, b) {
            case (.node(let x, _, _, _), .node(let y, _, _, _)) where x == y:
                old.removeLast()
                new.removeLast()
            case (.entry(let ka, let va), .entry(let kb, let vb)):
                let c = KeyOrder.compare(ka, kb)
                if c < 0 {
                    old.removeLast()
                    return ProllyDiffEntry(key: ka, change: .removed(va))
                }
                if c > 0 {
                    new.removeLast()
                    return ProllyDiffEntry(key: kb, change: .added(vb))
                }
                old.removeLast()
                new.removeLast()
                if va != vb { return ProllyDiffEntry(key: ka, change: .changed(old: va, new: vb)) }
            default:
                if a.level >= b.level { try expand(&old, storage: oldStorage) }
                if b.level >= a.level { try expand(&new, storage: newStorage) }
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
