import EngramIPLD
import EngramStore

extension Repository {
    /// Creates a repository in a new directory (a ``FileBlockStore``).
    public static func create(at path: String, hash: HashFunction = .sha2_256,
                              options: FileBlockStore.Options = .init()) throws(GraphError) -> Repository {
        let store: FileBlockStore
        do { store = try FileBlockStore.create(at: path, hash: hash, options: options) }
        catch { throw .wrapping(error) }
        return try Repository(store: store)
    }

    /// Opens the repository in `path`, keeping at most `cacheCapacity` decoded tree nodes.
    public static func open(at path: String, options: FileBlockStore.Options = .init(),
                            cacheCapacity: Int = 16384) throws(GraphError) -> Repository {
        let store: FileBlockStore
        do { store = try FileBlockStore.open(at: path, options: options) }
        catch StoreError.notAStore { throw .notARepository(path) } catch { throw .wrapping(error) }
        return try Repository(store: store, cacheCapacity: cacheCapacity)
    }
}
