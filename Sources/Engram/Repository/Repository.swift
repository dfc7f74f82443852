import EngramIPLD
import EngramProlly
import EngramStore

/// A versioned property graph over a block store: branches, `HEAD`, commits, and the graph at
/// any commit.
///
/// A new repository has an unborn branch `main` checked out; its first commit has no parents.
/// Every method is safe to call from several threads; commits to one branch are serialised by
/// compare-and-swap on the branch ref (see ``commit(_:_:)``).
public final class Repository: Sendable {
    /// The blocks.
    public let store: any BlockStore
    /// The refs.
    public let refs: any RefBackend
    /// Where the trees live (hash function and node cache shared by every snapshot).
    public let storage: ProllyStorage

    /// The branch a new repository starts on.
    public static let defaultBranch = "main"

    /// A repository over `store`, with the store's own refs when it is a ``FileBlockStore`` and
    /// in-memory refs otherwise (unless `refs` is given). `HEAD` is set to `main` when unset.
    public init(store: any BlockStore, refs: (any RefBackend)? = nil, hashFunction: HashFunction? = nil,
                cacheCapacity: Int = 16384) throws(GraphError) {
        self.store = store
        let file = store as? FileBlockStore
        self.refs = refs ?? (file.map { FileRefBackend(store: $0) } ?? MemoryRefBackend(store: store))
        let hash = hashFunction ?? file?.hashFunction ?? .sha2_256
        self.storage = ProllyStorage(blocks: store, hashFunction: hash, cache: NodeCache(capacity: cacheCapacity))
        if try self.refs.get("HEAD") == nil, file?.isReadOnly != true {
            _ = try self.refs.commit(blocks: [], updates: [RefUpdate(name: "HEAD", expected: .absent,
                                                                     new: .symbolic(Self.branchRef(Self.defaultBranch)))],
                                     message: "init")
        }
    }

    /// Creates a repository in a new directory (a ``FileBlockStore``).
    public static func create(at path: String, hash: HashFunction = .sha2_256,
                              options: FileBlockStore.Options = .init()) throws(GraphError) -> Repository {
        do {
            return try Repository(store: try FileBlockStore.create(at: path, hash: hash, options: options))
        }
        catch let e as GraphError { throw e } catch { throw .store("\(error)") }
    }

    /// Opens the repository in `path`.
    /// Opens the repository in `path`, keeping at most `cacheCapacity` decoded tree nodes.
    public static func open(at path: String, options: FileBlockStore.Options = .init(),
                            cacheCapacity: Int = 16384) throws(GraphError) -> Repository {
        let store: FileBlockStore
        do { store = try FileBlockStore.open(at: path, options: options) }
        catch StoreError.notAStore { throw .notARepository(path) } catch { throw .store("\(error)") }
        return try Repository(store: store, cacheCapacity: cacheCapacity)
    }

    /// The ref name of branch `name`.
    public static func branchRef(_ name: String) -> String { "refs/heads/" + name }

    /// The graph at commit `cid`.
    public func snapshot(_ cid: CID) throws(GraphError) -> GraphSnapshot {
        try GraphSnapshot.load(cid, storage: storage)
    }

    /// The graph at a commit, or the empty graph for nil.
    public func snapshot(_ cid: CID?) throws(GraphError) -> GraphSnapshot {
        if let cid { try GraphSnapshot.load(cid, storage: storage) } else { try GraphSnapshot.empty(storage) }
    }

    /// The commit object `cid`.
    public func commit(_ cid: CID) throws(GraphError) -> Commit {
        try Commit.decode(try store.fetchBlock(cid), cid: cid)
    }
}
