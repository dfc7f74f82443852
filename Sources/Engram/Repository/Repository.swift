import EngramIPLD
import EngramProlly
import EngramStorage
import Synchronization

/// A versioned property graph over a block store: branches, `HEAD`, commits, and the graph at
/// any commit.
///
/// A new repository has an unborn branch `main` checked out; its first commit has no parents.
/// Every method is safe to call from several threads; commits to one branch are serialised by
/// compare-and-swap on the branch ref (see ``commit(_:_:maxAttempts:)``).
public final class Repository: Sendable {
    /// The blocks.
    public let store: any BlockStore
    /// The refs.
    public let refs: any RefBackend
    /// Where the trees live (hash function and node cache shared by every snapshot).
    public let storage: ProllyStorage
    /// Whether ``close()`` was called.
    let lifecycle = Mutex(false)
    /// The full-text postings derived so far (SPEC.md 7.11).
    let textIndexes: TextIndexCache

    /// The branch a new repository starts on.
    public static let defaultBranch = "main"

    /// A repository over `store` and `refs`. Without `refs`, a store that is a whole
    /// `StorageBackend` (the file store) brings its own refs and hash function; any other
    /// `BlockStore` gets refs in memory. `HEAD` is set to `main` when unset.
    public init(store: any BlockStore, refs: (any RefBackend)? = nil, hashFunction: HashFunction? = nil,
                cacheCapacity: Int = 16384) throws(GraphError) {
        self.store = store
        let backend = store as? any StorageBackend
        self.refs = refs ?? backend?.refBackend ?? MemoryRefBackend(store: store)
        let hash = hashFunction ?? backend?.hashFunction ?? .sha2_256
        self.storage = ProllyStorage(blocks: store, hashFunction: hash, cache: NodeCache(capacity: cacheCapacity))
        self.textIndexes = TextIndexCache(refs: self.refs, storage: storage, writable: backend?.isReadOnly != true)
        if try ref("HEAD") == nil, backend?.isReadOnly != true {
            _ = try updateRefs(blocks: [], updates: [RefUpdate(name: "HEAD", expected: .absent,
                                                                     new: .symbolic(Self.branchRef(Self.defaultBranch)))],
                                     message: "init")
        }
    }

    /// The ref name of branch `name`.
    public static func branchRef(_ name: String) -> String { "refs/heads/" + name }

    /// The graph at commit `cid`.
    public func snapshot(_ cid: CID) throws(GraphError) -> GraphSnapshot {
        try checkOpen()
        var s = try GraphSnapshot.load(cid, storage: storage)
        s.textIndexes = textIndexes
        return s
    }

    /// The graph at a commit, or the empty graph for nil.
    public func snapshot(_ cid: CID?) throws(GraphError) -> GraphSnapshot {
        try checkOpen()
        var s = if let cid { try GraphSnapshot.load(cid, storage: storage) } else { try GraphSnapshot.empty(storage) }
        s.textIndexes = textIndexes
        return s
    }

    /// The commit object `cid`.
    public func commit(_ cid: CID) throws(GraphError) -> Commit {
        try checkOpen()
        return try Commit.decode(try store.fetchBlock(cid), cid: cid)
    }
}

extension Repository {
    /// The value of ref `name`, without following symbolic refs.
    func ref(_ name: String) throws(GraphError) -> RefValue? {
        try checkOpen()
        do { return try refs.get(name) } catch { throw .store(error) }
    }

    /// The refs whose names start with `prefix`, sorted by name.
    func refList(prefix: String) throws(GraphError) -> [(name: String, value: RefValue)] {
        try checkOpen()
        do { return try refs.list(prefix: prefix) } catch { throw .store(error) }
    }

    /// Publishes `blocks` and applies `updates` atomically; false when an expectation failed.
    func updateRefs(blocks: [Block], updates: [RefUpdate], message: String) throws(GraphError) -> Bool {
        try checkOpen()
        do { return try refs.commit(blocks: blocks, updates: updates, message: message) } catch { throw .store(error) }
    }
}
