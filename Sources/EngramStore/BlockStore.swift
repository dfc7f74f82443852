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
}
