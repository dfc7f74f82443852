import Engram
import EngramIPLD
import EngramStore

/// A repository in a directory as a remote: the sync protocol without HTTP. Each operation
/// opens the repository (as a reader for refs and fetch, as the writer for a push) and
/// closes it when done, so it can be another process's repository.
public struct DirectoryEndpoint: SyncEndpoint {
    /// The directory holding the repository's store.
    public let path: String
    /// The limits a push to it enforces.
    public let limits: SyncLimits

    /// The repository whose store is the directory `path` (a repository's `.engram`).
    public init(path: String, limits: SyncLimits = .default) {
        self.path = path
        self.limits = limits
    }

    /// The repository's branches, read from its directory.
    public func advertise() async throws(SyncError) -> RefAdvertisement {
        try RepositoryEndpoint.advertisement(of: try open(readOnly: true))
    }

    /// The blocks `request` asks for, read from the directory as a reader.
    public func fetch(_ request: FetchRequest) async throws(SyncError) -> BlockStream {
        // The stream holds the repository open until it is read to the end or dropped.
        let repository = try open(readOnly: true)
        return RepositoryEndpoint.stream(SenderBox(try MissingBlocks(store: repository.store, request: request)))
    }

    /// Applies a push as the directory's writer (it takes the writer lock).
    public func push(_ request: PushRequest, blocks: BlockStream) async throws(SyncError) -> PushResult {
        try await RepositoryEndpoint(repository: try open(readOnly: false), limits: limits).push(request, blocks: blocks)
    }

    private func open(readOnly: Bool) throws(SyncError) -> Repository {
        do { return try Repository.open(at: path, options: .init(readOnly: readOnly)) }
        catch .notARepository { throw .notFound("no repository at \(path)") }
        catch { throw .repository(error) }
    }
}
