import Engram
import EngramSync
import Hummingbird

/// More routes on `engram serve`, beside the sync protocol: the MCP endpoint (module
/// `EngramMCPHTTP`) plugs in here, so that this module and its tests build without the MCP SDK.
public protocol SyncServerExtension: Sendable {
    /// Adds the routes to `router`; their handlers reach the repositories and the tokens through
    /// `server`.
    func addRoutes(to router: Router<SyncRequestContext>, server: SyncServer)
}

extension SyncServer {
    /// The repository served under `name` (nil: the one repository of a single-repository
    /// server), opened in this process. Its writes interleave with pushes by compare-and-swap.
    public func repository(named name: String?) throws(SyncError) -> Repository {
        guard let endpoint = try repositories.endpoint(named: name) as? RepositoryEndpoint else {
            throw .notFound("this server's repository is not one it holds open")
        }
        return endpoint.repository
    }

    /// nil when `request` carries the token a push needs (or the server takes pushes from
    /// anyone), else why it does not.
    public func writeRefusal(_ request: Request) -> String? {
        authorizationFailure(request, write: true)
    }
}
