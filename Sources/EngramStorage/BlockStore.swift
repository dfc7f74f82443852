import EngramIPLD

/// Where blocks live. Implementations are thread-safe and usable from synchronous and async code.
///
/// A store holds only verified blocks: ``Block`` values are consistent by construction, and
/// ``put(cid:bytes:)`` checks the hash.
public protocol BlockStore: AnyObject, Sendable {
    /// Whether a block with this CID is stored.
    func has(_ cid: CID) throws -> Bool
    /// The block's canonical bytes, or nil when it is not stored.
    func get(_ cid: CID) throws -> [UInt8]?
    /// Stores one block (a no-op when it is already there).
    func put(_ block: Block) throws
    /// Stores many blocks at once; implementations make this cheaper than one `put` each.
    func put(_ blocks: [Block]) throws
    /// Calls `body` with the CID of every stored block, in no particular order.
    func forEachCID(_ body: (CID) throws -> Void) throws
    /// Removes blocks. Only garbage collection calls this.
    func delete(_ cids: [CID]) throws
    /// Those of `cids` that are not stored, in their order: one call for a batch, so a remote or
    /// database backend answers in one round trip.
    func missing(_ cids: [CID]) throws -> [CID]
    /// Hands blocks of a write in progress to the store before the commit that publishes them
    /// (a bulk load past its memory budget). They need not be durable, and only a commit
    /// makes them reachable; callers pin them first (``pin(_:)``).
    func stage(_ blocks: [Block]) throws
    /// Keeps `cids` and everything they link to from garbage collection until ``unpin(_:)``.
    /// Pins are counted and live in memory only.
    func pin(_ cids: [CID])
    /// Releases one pin of each of `cids`.
    func unpin(_ cids: [CID])
    /// Every pinned CID (garbage collection marks from them).
    func pinned() -> [CID]
}

extension BlockStore {
    /// The block's bytes; throws ``StoreError/notFound(_:)`` when it is not stored.
    public func fetch(_ cid: CID) throws -> [UInt8] {
        guard let bytes = try get(cid) else { throw StoreError.notFound(cid) }
        return bytes
    }

    /// Stores `bytes` under `cid` after checking that they hash to it.
    public func put(cid: CID, bytes: [UInt8]) throws {
        try put(Block(cid: cid, bytes: bytes))
    }

    public func put(_ blocks: [Block]) throws {
        for block in blocks { try put(block) }
    }

    public func missing(_ cids: [CID]) throws -> [CID] {
        try cids.filter { try !has($0) }
    }

    /// Stores the blocks (a store without a cheaper unsynced path).
    public func stage(_ blocks: [Block]) throws { try put(blocks) }

    /// A store without garbage collection needs no pins.
    public func pin(_ cids: [CID]) {}

    public func unpin(_ cids: [CID]) {}

    public func pinned() -> [CID] { [] }
}

/// A store of blocks and refs that a `Repository` (in `Engram`) can run on: the file store, the memory
/// store, later a database. The graph layer reaches storage only through this seam.
public protocol StorageBackend: BlockStore {
    /// The refs, changed atomically with the blocks they publish.
    var refBackend: any RefBackend { get }
    /// The hash function new blocks are addressed with.
    var hashFunction: HashFunction { get }
    /// Whether writes are refused.
    var isReadOnly: Bool { get }
    /// A directory for this store's transient files (a sync's quarantine), kept across
    /// restarts so a cut transfer can resume; nil when the backend has none.
    var scratchDirectory: String? { get }
}

extension StorageBackend {
    public var scratchDirectory: String? { nil }
}
