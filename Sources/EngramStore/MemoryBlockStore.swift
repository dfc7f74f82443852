import EngramIPLD
import Synchronization

/// A block store in memory, for tests and ephemeral use.
public final class MemoryBlockStore: BlockStore {
    private let blocks = Mutex<[CID: [UInt8]]>([:])
    private let counters = Mutex<Counters>(Counters())

    /// How many reads and writes reached the store (for structural-cost tests).
    public struct Counters: Sendable, Hashable {
        public var gets = 0
        public var puts = 0
        public var newBlocks = 0
    }

    public init() {}

    /// The counters since creation or the last ``resetCounters()``.
    public var counts: Counters { counters.withLock { $0 } }
    public func resetCounters() { counters.withLock { $0 = Counters() } }

    /// The number of blocks held.
    public var count: Int { blocks.withLock { $0.count } }

    public func has(_ cid: CID) -> Bool { blocks.withLock { $0[cid] != nil } }

    public func get(_ cid: CID) -> [UInt8]? {
        counters.withLock { $0.gets += 1 }
        return blocks.withLock { $0[cid] }
    }

    public func put(_ block: Block) {
        let isNew = blocks.withLock { store in
            if store[block.cid] != nil { return false }
            store[block.cid] = block.bytes
            return true
        }
        counters.withLock {
            $0.puts += 1
            if isNew { $0.newBlocks += 1 }
        }
    }

    public func put(_ blocks: [Block]) {
        for block in blocks { put(block) }
    }

    public func forEachCID(_ body: (CID) throws -> Void) throws {
        for cid in blocks.withLock({ Array($0.keys) }) { try body(cid) }
    }

    public func delete(_ cids: [CID]) {
        blocks.withLock { store in for cid in cids { store[cid] = nil } }
    }
}
