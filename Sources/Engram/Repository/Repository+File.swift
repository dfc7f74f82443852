import EngramIPLD
import EngramStore

extension Repository {
    /// Creates a repository in a new directory (a `FileBlockStore`).
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

    /// Opens the repository in `path`, or creates one there when `path` holds none (a missing
    /// or empty directory), so a program can run again over the repository it made. `hash`
    /// applies only to a new repository.
    public static func openOrCreate(at path: String, hash: HashFunction = .sha2_256,
                                    options: FileBlockStore.Options = .init()) throws(GraphError) -> Repository {
        do { return try open(at: path, options: options) } catch .notARepository {
            return try create(at: path, hash: hash, options: options)
        }
    }
}
