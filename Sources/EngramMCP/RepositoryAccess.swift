import Engram
import EngramStore
import Synchronization

/// How the server opens its repository.
public struct MCPServerOptions: Sendable {
    /// The store directory (`<repository>/.engram`).
    public var storeDirectory: String
    /// How long a writing tool call waits for another process's writer lock (0: not at all).
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

/// The repository as the server's tools see it, shared by every session of one server.
///
/// Two sources:
/// - a store directory (`engram mcp`): reads go to one read-only store, refreshed when the
///   directory shows another commit (``StoreChangeStamp``), so any number of server processes
///   read side by side. Each writing call opens the store as its writer, waiting a bounded time
///   for the writer lock, commits once and closes it: the lock is held for one commit, never
///   between calls, so several server processes take turns.
/// - a repository this process already holds open as its writer (`engram serve`, which keeps the
///   writer lock): tools read and write it in place. Its commits move refs by compare-and-swap
///   (rebasing or reporting a conflict), so they interleave safely with the sync pushes and the
///   other sessions writing to the same repository.
public final class RepositoryAccess: Sendable {
    enum Source: Sendable {
        case directory(Reader)
        case shared(Repository)
    }

    /// The read-only store of a directory source, and the stamp it was last refreshed at.
    final class Reader: Sendable {
        let state: Mutex<(repository: Repository, stamp: StoreChangeStamp)>
        init(_ repository: Repository, _ stamp: StoreChangeStamp) { state = Mutex((repository, stamp)) }
    }

    let options: MCPServerOptions
    let source: Source
    /// Serialises this process's tool writes (across sessions): they would otherwise queue on
    /// the file lock, or rebase on one another for nothing.
    let writing = Mutex<Void>(())

    /// Tools over the store directory `options.storeDirectory`, opened per call.
    public init(_ options: MCPServerOptions) throws(ToolError) {
        self.options = options
        let stamp = StoreChangeStamp(directory: options.storeDirectory)
        do {
            let store = try FileBlockStore.open(at: options.storeDirectory, options: FileBlockStore.Options(readOnly: true))
            source = .directory(Reader(try Repository(store: store, cacheCapacity: 16384), stamp))
        } catch StoreError.notAStore {
            throw ToolError("\(options.storeDirectory) is not an Engram store (run `engram init`)")
        } catch { throw .wrapping(error) }
    }

    /// Tools over `repository`, which this process holds open (as its writer, to write).
    public init(sharing repository: Repository, author: String = "engram-mcp", pollMilliseconds: Int = 250) {
        let directory = (repository.store as? FileBlockStore)?.directory ?? ""
        options = MCPServerOptions(storeDirectory: directory, lockWaitMilliseconds: 0, author: author, pollMilliseconds: pollMilliseconds)
        source = .shared(repository)
    }

    /// The repository for reading, up to date with every commit made before the call.
    func read() throws(ToolError) -> Repository {
        switch source {
        case .shared(let repository):
            return repository
        case .directory(let reader):
            let stamp = StoreChangeStamp(directory: options.storeDirectory)
            return try reader.state.withLock { (state) throws(ToolError) -> Repository in
                if state.stamp != stamp, let store = state.repository.store as? FileBlockStore {
                    do { try store.refresh() } catch { throw .wrapping(error) }
                    state.stamp = stamp
                }
                return state.repository
            }
        }
    }

    /// Runs `body` on the repository as its writer: one tool call, one commit.
    func write<T: Sendable>(_ body: (Repository) throws -> T) throws(ToolError) -> T {
        try writing.withLock { _ throws(ToolError) -> T in
            switch source {
            case .shared(let repository):
                do { return try body(repository) } catch { throw .wrapping(error) }
            case .directory:
                return try writeOpeningStore(body)
            }
        }
    }

    private func writeOpeningStore<T: Sendable>(_ body: (Repository) throws -> T) throws(ToolError) -> T {
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

    /// Something that changes when a commit may have moved a ref (a few `stat` calls); nil when
    /// the store has no directory to look at, and the refs themselves must be compared.
    func changeStamp() -> StoreChangeStamp? {
        options.storeDirectory.isEmpty ? nil : StoreChangeStamp(directory: options.storeDirectory)
    }
}
