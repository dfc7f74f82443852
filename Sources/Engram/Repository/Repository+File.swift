#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EngramIPLD
import EngramStorage
import EngramStore

extension Repository {
    /// The store directory inside a repository directory, as `engram init` lays it out.
    public static let storeDirectoryName = ".engram"

    /// The store directory of the repository in directory `path`.
    public static func storeDirectory(of path: String) -> String { path + "/" + storeDirectoryName }

    /// Creates a repository in directory `path` (created if missing), its store in
    /// `path/.engram/` as `engram init` makes it, so the command line opens it.
    ///
    /// Throws ``GraphError/store(_:)`` with ``StoreError/alreadyExists(path:)`` when `path`
    /// already holds a repository (in either layout ``open(at:options:cacheCapacity:)`` reads);
    /// ``openOrCreate(at:hash:options:cacheCapacity:)`` opens it instead.
    public static func create(at path: String, hash: HashFunction = .sha2_256,
                              options: FileBlockStore.Options = .init()) throws(GraphError) -> Repository {
        if FileBlockStore.exists(at: storeDirectory(of: path), options: options) || FileBlockStore.exists(at: path, options: options) {
            throw .store(.alreadyExists(path: path))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .store(.io(operation: "mkdir", path: path, errno: errno)) }
        let store: FileBlockStore
        do { store = try FileBlockStore.create(at: storeDirectory(of: path), hash: hash, options: options) }
        catch { throw .wrapping(error) }
        return try Repository(store: store)
    }

    /// Opens the repository in directory `path`: its store in `path/.engram/`, or `path` itself
    /// when that is a store directory (as repositories made by earlier versions of ``create(at:hash:options:)``
    /// are, and as `.engram/` itself is), keeping at most `cacheCapacity` decoded tree nodes.
    public static func open(at path: String, options: FileBlockStore.Options = .init(),
                            cacheCapacity: Int = 16384) throws(GraphError) -> Repository {
        let nested = storeDirectory(of: path)
        let directory = FileBlockStore.exists(at: nested, options: options) ? nested : path
        let store: FileBlockStore
        do { store = try FileBlockStore.open(at: directory, options: options) }
        catch StoreError.notAStore { throw .notARepository(path) } catch { throw .wrapping(error) }
        return try Repository(store: store, cacheCapacity: cacheCapacity)
    }

    /// Opens the repository in `path`, creating it first when there is none, so a program can
    /// run again over the memory it kept.
    public static func openOrCreate(at path: String, hash: HashFunction = .sha2_256, options: FileBlockStore.Options = .init(),
                                    cacheCapacity: Int = 16384) throws(GraphError) -> Repository {
        do { return try create(at: path, hash: hash, options: options) } catch .store(.alreadyExists) {
            return try open(at: path, options: options, cacheCapacity: cacheCapacity)
        }
    }
}
