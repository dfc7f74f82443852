import EngramIPLD
import EngramStorage

/// Where trees live: a block store, the hash function new nodes are addressed with, and the
/// cache of decoded nodes. Trees over the same storage share subtrees and the cache.
public final class ProllyStorage: Sendable {
    /// The block store holding the nodes.
    public let blocks: any BlockStore
    /// The hash function for new node CIDs (the repository's; sha2-256 by default).
    public let hashFunction: HashFunction
    /// Decoded nodes.
    public let cache: NodeCache

    public init(blocks: any BlockStore, hashFunction: HashFunction = .sha2_256, cache: NodeCache = NodeCache()) {
        self.blocks = blocks
        self.hashFunction = hashFunction
        self.cache = cache
    }

    /// The node `cid`, from the cache or decoded from the store.
    @inlinable
    public func node(_ cid: CID) throws(ProllyError) -> ProllyNode {
        if let node = cache.lookup(cid) { return node }
        return try load(cid)
    }

    /// Reads, verifies and decodes node `cid`, then caches it (so a cache hit is never re-hashed).
    @usableFromInline
    func load(_ cid: CID) throws(ProllyError) -> ProllyNode {
        let node = try NodeCodec.decode(try bytes(cid), cid: cid)
        cache.insert(node)
        return node
    }

    /// The raw bytes of node `cid`, checked to hash to it.
    public func bytes(_ cid: CID) throws(ProllyError) -> [UInt8] {
        let bytes: [UInt8]?
        do { bytes = try blocks.get(cid) } catch { throw .store(cid, reason: "\(error)") }
        // The empty leaf is known without the store: a read-only store that never had a commit
        // still reads the empty graph (its writer writes the leaf with its first tree).
        guard let bytes else {
            if cid == emptyRoot { return NodeCodec.emptyLeaf }
            throw .missingNode(cid)
        }
        if let failure = cid.verificationFailure(bytes) { throw .corruptNode(cid, reason: failure) }
        return bytes
    }

    /// Stores blocks in one call.
    func write(_ blocks: [Block]) throws(ProllyError) {
        guard !blocks.isEmpty else { return }
        do { try self.blocks.put(blocks) } catch { throw .store(blocks.first?.cid, reason: "\(error)") }
    }

    /// The CID of the empty map in this storage's hash function.
    public var emptyRoot: CID { CID(hashing: NodeCodec.emptyLeaf, codec: .dagCBOR, function: hashFunction) }
}
