import Engram
import EngramStore
import Synchronization

/// How the server opens its repository.
public struct MCPServerOptions: Sendable {
    /// The store directory (`<repository>/.engram`).
    public var storeDirectory: String
    /// How long a writing tool call waits for another process's writer lock.
    public var lockWaitMilliseconds: Int
    /// When a commit is durable.
    public var durability: FileBlockStore.Options.Durability
    /// The author of commits whose call names none.
    public var author: String
    /// How often the server looks for commits made by other processes (for resource notifications).
    public var pollMilliseconds: Int

    public init(storeDirectory: String, lockWaitMilliseconds: Int = 10_000, durability: FileBlockStore.Options.Durability = .strict,
                author: String = "engram-mcp", pollMilliseconds: Int = 250) {
        self.storeDirectory = storeDirectory
        self.lockWaitMilliseconds = lockWaitMilliseconds
        self.durability = durability
        self.author = author
        self.pollMilliseconds = pollMilliseconds
    }
}

/// The repository as the server's tools see it. Reads go to one read-only store, refreshed when
/// the store directory shows another commit (``StoreChangeStamp``), so any number of server
/// processes read side by side. Each writing call opens the store as its writer, waiting a bounded
/// time for the writer lock, commits once and closes it: the lock is held for one commit, never
/// between calls, so several server processes take turns.
final class RepositoryAccess: Sendable {
    let options: MCPServerOptions
    let reader: Mutex<(repository: Repository, stamp: StoreChangeStamp)>
    /// Serialises this process's writers (they would otherwise queue on the file lock).
    let writing = Mutex<Void>(())

    init(_ options: MCPServerOptions) throws(ToolError) {
        self.options = options
        let stamp = StoreChangeStamp(directory: options.storeDirectory)
        do {
            let store = try FileBlockStore.open(at: options.storeDirectory, options: FileBlockStore.Options(readOnly: true))
            reader = Mutex((try Repository(store: store, cacheCapacity: 16384), stamp))
        } catch StoreError.notAStore {
            throw ToolError("\(options.storeDirectory) is not an Engram store (run `engram init`)")
        } catch { throw .wrapping(error) }
    }

    /// The repository for reading, up to date with every commit made before the call.
    func read() throws(ToolError) -> Repository {
        let stamp = StoreChangeStamp(directory: options.storeDirectory)
        return try reader.withLock { (state) throws(ToolError) -> Repository in
            if state.stamp != stamp, let store = state.repository.store as? FileBlockStore {
                do { try store.refresh() } catch { throw .wrapping(error) }
                state.stamp = stamp
            }
            return state.repository
        }
    }

    /// Runs `body` on the repository opened as its writer.
    func write<T: Sendable>(_ body: (Repository) throws -> T) throws(ToolError) -> T {
        try writing.withLock { _ throws(ToolError) -> T in
            var storeOptions = FileBlockStore.Options(durability: options.durability)
            storeOptions.lockWaitMilliseconds = options.lockWaitMilliseconds
            let store: FileBlockStore
            do { store = try FileBlockStore.open(at: options.storeDirectory, options: storeOptions) } catch StoreError.locked(let path, let pid) {
                throw ToolError("the repository is busy: another writer (\(pid.map { "pid \($0)" } ?? "another process")) held "
                                + "the lock on \(path) for longer than \(options.lockWaitMilliseconds) ms; nothing was changed, retry later")
            } catch { throw .wrapping(error) }
            do {
                let repository = try Repository(store: store, cacheCapacity: 1024)
                let result = try body(repository)
                try store.close()
                return result
            } catch {
                try? store.close()
                throw .wrapping(error)
            }
        }
    }
}
