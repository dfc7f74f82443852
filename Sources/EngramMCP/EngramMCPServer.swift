import Engram
import EngramIPLD
import EngramStore
import Foundation
import Logging
import MCP
import Synchronization

/// Engram's MCP server: the tools (``EngramTools``) and the `engram://head` and `engram://refs`
/// resources over one repository, with change notifications when any process commits.
///
/// One server talks to one client (one stdio connection, or one HTTP session); servers of
/// several sessions share one ``RepositoryAccess``.
public final class EngramMCPServer: Sendable {
    let tools: EngramTools
    let server: Server
    let logger: Logger
    /// The resources the client subscribed to: only they are announced (as MCP asks).
    let subscriptions = Mutex<Set<String>>([])
    /// The task announcing commits, while the server runs.
    let watcher = Mutex<Task<Void, Never>?>(nil)

    /// The resources: where `HEAD` is, and every branch.
    static let headURI = "engram://head"
    static let refsURI = "engram://refs"

    /// A server over the store directory `options.storeDirectory`.
    public convenience init(options: MCPServerOptions, logger: Logger = Logger(label: "engram.mcp")) throws {
        self.init(access: try RepositoryAccess(options), logger: logger)
    }

    /// A server over `access`, which other servers (sessions) may share.
    public init(access: RepositoryAccess, logger: Logger = Logger(label: "engram.mcp")) {
        tools = EngramTools(access: access)
        self.logger = logger
        server = Server(
            name: "engram", version: "0.1.0", title: "Engram memory",
            instructions: """
                Engram is versioned graph memory. Store facts with engram_remember (nodes with labels and properties, \
                edges between them); find them with engram_schema, engram_query, engram_neighbors and engram_get. Every \
                write is a commit: engram_log, engram_show and engram_diff show history, 'at' reads any earlier \
                revision, engram_branch/engram_merge let you try changes apart and merge them, engram_revert undoes one.
                """,
            capabilities: Server.Capabilities(resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false)))
    }

    /// Serves `transport` until the client goes.
    public func run(transport: any Transport) async throws {
        try await start(transport: transport)
        await server.waitUntilCompleted()
        await stop()
    }

    /// Starts serving `transport` and returns: the messages are handled in the background
    /// until ``stop()`` or the end of the transport's input.
    public func start(transport: any Transport) async throws {
        await register()
        try await server.start(transport: transport) { [tools] client, _ in
            tools.clientName.withLock { $0 = client.name }
        }
        let task = Task { [self] in await watchRefs() }
        watcher.withLock { $0 = task }
    }

    /// Stops serving: no more notifications, and the transport is disconnected.
    public func stop() async {
        watcher.withLock { $0?.cancel(); $0 = nil }
        await server.stop()
    }

    func register() async {
        let tools = self.tools
        let logger = self.logger
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: EngramTools.all.map(\.tool)) }
        await server.withMethodHandler(CallTool.self) { params in
            let result: IPLD
            do { result = try await Self.blocking { try tools.call(params.name, params.arguments) } } catch {
                logger.info("tool call failed", metadata: ["tool": "\(params.name)", "error": "\(error)"])
                return CallTool.Result(content: [.text(text: "error: \(error)", annotations: nil, _meta: nil)], isError: true)
            }
            return CallTool.Result(content: [.text(text: JSONValues.text(result), annotations: nil, _meta: nil)], isError: false)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: [
                Resource(name: "head", uri: Self.headURI, description: "The commit HEAD is at and the branch it names.", mimeType: "application/json"),
                Resource(name: "refs", uri: Self.refsURI, description: "Every branch and its head commit.", mimeType: "application/json"),
            ])
        }
        await server.withMethodHandler(ReadResource.self) { params in
            let text: String
            do { text = try Self.resourceText(params.uri, tools) } catch { throw MCPError.invalidParams("\(error)") }
            return ReadResource.Result(contents: [.text(text, uri: params.uri, mimeType: "application/json")])
        }
        await server.withMethodHandler(ResourceSubscribe.self) { [self] params in
            let uri = Self.normalized(params.uri)
            guard [Self.headURI, Self.refsURI].contains(uri) else { throw MCPError.invalidParams("no resource \(params.uri.prefix(200))") }
            subscriptions.withLock { _ = $0.insert(uri) }
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { [self] params in
            subscriptions.withLock { _ = $0.remove(Self.normalized(params.uri)) }
            return Empty()
        }
    }

    static func resourceText(_ uri: String, _ tools: EngramTools) throws(ToolError) -> String {
        let repository = try tools.access.read()
        return try EngramTools.library { () throws(GraphError) -> String in
            switch normalized(uri) {
            case headURI:
                var m: IPLDMap = ["branch": try repository.currentBranch().map { .string($0) } ?? .null]
                if let head = try repository.head() {
                    m["commit"] = GraphJSON.value(try repository.commit(head), cid: head)
                } else {
                    m["commit"] = .null
                }
                return JSONValues.text(.map(m))
            case refsURI:
                return JSONValues.text(.list(try repository.branches().map { ["name": .string($0.name), "head": .string($0.head.description)] }))
            default:
                throw GraphError.unknownRevision(uri)
            }
        }
    }

    /// Runs a tool call on Dispatch's threads: it blocks (on another writer's lock, on `fsync`),
    /// and blocking one of Swift concurrency's few threads (one per core) would stall every other
    /// session and the sync routes of the same server meanwhile.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A client's URL type may add a trailing slash to a URL without a path.
    static func normalized(_ uri: String) -> String { uri.hasSuffix("/") ? String(uri.dropLast()) : uri }

    /// Polls the store directory (a few `stat` calls) and notifies the client when `HEAD` or a
    /// branch moved, whichever process (or session) moved it.
    func watchRefs() async {
        var last = try? Self.resourceText(Self.refsURI, tools) + (Self.resourceText(Self.headURI, tools))
        let pause = UInt64(max(tools.access.options.pollMilliseconds, 10)) * 1_000_000
        var stamp = tools.access.changeStamp()
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: pause)
            let now = tools.access.changeStamp()
            guard now == nil || now != stamp else { continue }
            stamp = now
            guard let refs = try? Self.resourceText(Self.refsURI, tools), let head = try? Self.resourceText(Self.headURI, tools) else { continue }
            if refs + head == last { continue }
            last = refs + head
            for uri in subscriptions.withLock({ $0 }).sorted() {
                try? await server.notify(ResourceUpdatedNotification.message(.init(uri: uri)))
            }
        }
    }
}
