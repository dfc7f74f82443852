import Engram
import EngramHTTPWire
import EngramStore
import EngramSync
import Hummingbird
import Logging

/// `engram serve`: the sync protocol over HTTP (SPEC.md 9.6) for one repository, or for every
/// repository under a root directory (`/<repository>/v1/...`).
///
/// ```swift
/// let server = SyncServer(endpoint: RepositoryEndpoint(repository: repo),
///                         configuration: .init(writeToken: token))
/// try await server.run()
/// ```
public final class SyncServer: Sendable {
    public let configuration: SyncServerConfiguration
    let repositories: ServedRepositories
    let extensions: [any SyncServerExtension]
    let logger: Logger

    /// Serves `endpoint` (a ``RepositoryEndpoint``, or any other) at `/v1/`, and the routes of
    /// `extensions`.
    public init(endpoint: any SyncEndpoint, configuration: SyncServerConfiguration = .init(),
                extensions: [any SyncServerExtension] = [], logger: Logger = Logger(label: "engram.serve")) {
        self.configuration = configuration
        self.repositories = ServedRepositories(.single(endpoint))
        self.extensions = extensions
        self.logger = logger
    }

    /// Serves each repository in a subdirectory of `root` at `/<name>/v1/`, opening it (with
    /// `storeOptions`) on its first request and keeping it open.
    public init(root: String, storeOptions: FileBlockStore.Options = .init(), configuration: SyncServerConfiguration = .init(),
                extensions: [any SyncServerExtension] = [], logger: Logger = Logger(label: "engram.serve")) {
        self.configuration = configuration
        self.repositories = ServedRepositories(.root(path: root, options: storeOptions, limits: configuration.limits))
        self.extensions = extensions
        self.logger = logger
    }

    /// The Hummingbird application: run it, or test it with `HummingbirdTesting`.
    public func application() -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            logger: logger
        )
    }

    /// Serves until SIGINT or SIGTERM.
    public func run() async throws {
        try await application().runService()
    }

    func router() -> Router<SyncRequestContext> {
        let router = Router(context: SyncRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger, multiple: repositories.isMultiple))
        router.get(.init(stringLiteral: SyncHTTP.healthPath)) { _, _ in
            Responses.bytes(Array("ok".utf8), contentType: "text/plain; charset=utf-8")
        }
        for prefix in ["", "/:repo"] {
            router.get(.init(stringLiteral: prefix + SyncHTTP.refsPath)) { request, context in
                await self.refs(request, repository: context.parameters.get("repo"))
            }
            router.post(.init(stringLiteral: prefix + SyncHTTP.fetchPath)) { request, context in
                await self.fetch(request, context: context, repository: context.parameters.get("repo"))
            }
            router.post(.init(stringLiteral: prefix + SyncHTTP.pushPath)) { request, context in
                await self.push(request, context: context, repository: context.parameters.get("repo"))
            }
        }
        for e in extensions { e.addRoutes(to: router, server: self) }
        return router
    }
}
