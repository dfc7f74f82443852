import EngramIPLD
import Synchronization

/// A block store in memory, for tests and ephemeral use.
public final class MemoryBlockStore: BlockStore {
    private let blocks = Mutex<[CID: [UInt8]]>([:])
    private let counters = Mutex<Counters>(Counters())
    private let pins = Mutex<[CID: Int]>([:])

    /// How many reads and writes reached the store (for structural-cost tests).
    public struct Counters: Sendable, Hashable {
        /// Block reads.
        public var gets = 0
        /// Block writes, including those of blocks already held.
        public var puts = 0
        /// Writes of blocks not held before.
        public var newBlocks = 0
    }

    /// An empty store.
    public init() {}

    /// The counters since creation or the last ``resetCounters()``.
    public var counts: Counters { counters.withLock { $0 } }
    /// Sets the counters back to zero.
    public func resetCounters() { counters.withLock { $0 = Counters() } }

    /// The number of blocks held.
    public var count: Int { blocks.withLock { $0.count } }

    public func has(_ cid: CID) -> Bool { blocks.withLock { $0[cid] != nil } }

    public func get(_ cid: CID) -> [UInt8]? {
        counters.withLock { $0.gets += 1 }
        return blocks.withLock { $0[cid] }
    }

    public func put(_ block: Block) {
        put(CollectionOfOne(block))
    }

    public func put(_ blocks: [Block]) {
        put(blocks[...])
    }

    /// Stores blocks under one lock, one hash lookup each. A block already held has its bytes
    /// replaced by equal ones (a `Block`'s bytes are those its CID names).
    func put<C: Collection<Block>>(_ batch: C) {
        let added = blocks.withLock { store in
            var added = 0
            for block in batch where store.updateValue(block.bytes, forKey: block.cid) == nil { added += 1 }
            return added
        }
        counters.withLock {
            $0.puts += batch.count
            $0.newBlocks += added
        }
    }

    public func forEachCID(_ body: (CID) throws -> Void) throws {
        for cid in blocks.withLock({ Array($0.keys) }) { try body(cid) }
    }

    /// Counted pins, as the file store's: garbage collection (``MarkAndSweep``) keeps them.
    public func pin(_ cids: [CID]) {
        pins.withLock { p in for c in cids { p[c, default: 0] += 1 } }
    }

    public func unpin(_ cids: [CID]) {
        pins.withLock { p in
            for c in cids { if let n = p[c] { p[c] = n > 1 ? n - 1 : nil } }
        }
    }

    public func pinned() -> [CID] { pins.withLock { Array($0.keys) } }

    public func delete(_ cids: [CID]) {
        blocks.withLock { store in for cid in cids { store[cid] = nil } }
    }
}
