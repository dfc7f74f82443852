import EngramIPLD
import EngramStorage

/// Builds a tree from entries in strictly increasing key order, streaming: memory is one node
/// per level, and closed nodes go to the store in batches.
public struct ProllyBuilder {
    /// Where the tree goes.
    public let storage: ProllyStorage
    var stack: LevelStack
    var previous: [UInt8]?
    /// Closed nodes are written once this many are waiting.
    public var flushThreshold = 256

    /// A builder of a new tree in `storage`.
    public init(storage: ProllyStorage) {
        self.storage = storage
        self.stack = LevelStack(base: 0, hashFunction: storage.hashFunction, keepNodes: false)
    }

    /// Appends an entry; its key must be greater than the previous one.
    public mutating func append(key: [UInt8], value: ProllyValue) throws(ProllyError) {
        guard key.count <= ProllyLimits.maxKeyLength else { throw .keyTooLong(key: key, length: key.count) }
        try value.checkLimits(key: key)
        if let previous, KeyOrder.compare(previous, key) >= 0 {
            throw .keysNotIncreasing(previous: previous, key: key)
        }
        previous = key
        try stack.appendLeaf(key: key, value: value)
        if stack.blocks.count >= flushThreshold { try flush() }
    }

    mutating func flush() throws(ProllyError) {
        try storage.write(stack.blocks)
        stack.blocks.removeAll(keepingCapacity: true)
    }

    /// Closes the last nodes, writes them and returns the tree.
    public mutating func finish() throws(ProllyError) -> ProllyTree {
        let root = try stack.finish()
        try flush()
        guard let root else { return try ProllyTree.empty(in: storage) }
        return ProllyTree(root: root, storage: storage)
    }
}

extension ProllyTree {
    /// Builds a tree from entries sorted by key (strictly increasing).
    public static func build<S: Sequence>(sorted entries: S, in storage: ProllyStorage) throws(ProllyError) -> ProllyTree
    where S.Element == ProllyEntry {
        var builder = ProllyBuilder(storage: storage)
        for entry in entries { try builder.append(key: entry.key, value: entry.value) }
        return try builder.finish()
    }

    /// Builds a tree from entries in any order; the last value of a repeated key wins.
    public static func build(unsorted entries: [ProllyEntry], in storage: ProllyStorage) throws(ProllyError) -> ProllyTree {
        try build(sorted: sortedUnique(entries), in: storage)
    }

    /// Entries sorted by key, keeping the last of each repeated key.
    static func sortedUnique(_ entries: [ProllyEntry]) -> [ProllyEntry] {
        KeyOrder.lastWinsOrder(entries, key: \.key).map { entries[$0] }
    }
}
