import ArgumentParser
import Engram
import EngramMCPHTTP
import EngramServer
import EngramStore
import EngramSync
import Logging

/// `engram serve`: the sync protocol over HTTP (SPEC.md 9.6), for the repository or for every
/// repository under a root directory.
///
/// Pushes need the token of `--token-file`; without one the server is read-only, unless
/// `--no-auth` opens pushes to anyone who can connect (meant for loopback and tests). The MCP
/// server (the tools of `engram mcp`) answers at `/mcp` with the same token.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the repository (or every repository under --root) to fetch, pull, push and clone over HTTP.",
        discussion: """
            Sync: GET /v1/refs, POST /v1/fetch, POST /v1/push (under --root: /<name>/v1/...). Pushes need the \
            bearer token of --token-file.

            MCP: the tools and resources of `engram mcp`, over MCP's Streamable HTTP transport at /mcp \
            (under --root: /<name>/mcp), for agents that reach memory over the network. Every MCP request needs \
            the write token (Authorization: Bearer <token>), as pushes do: without it the answer is 401. The \
            tools commit to the repository this server holds open, taking turns with pushes. --no-mcp turns \
            the route off.
            """)

    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:7420"

    @Option(help: ArgumentHelp("Serve every repository under this directory, each at /<name>/ (instead of -C).", valueName: "dir"))
    var root: String?

    @Option(help: ArgumentHelp("A file whose first line is the bearer token pushes need (and reads accept).", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("A file whose first line is the bearer token refs and fetch need (default: reads are open).", valueName: "file"))
    var readTokenFile: String?

    @Flag(help: "Accept pushes without a token (only with no --token-file; anyone who can connect may push).")
    var noAuth = false

    @Option(help: ArgumentHelp("The largest push body read, in bytes.", valueName: "bytes"))
    var maxPushBytes: Int = 1 << 30

    @Option(help: ArgumentHelp("Close a connection whose request stays silent this many seconds.", valueName: "seconds"))
    var idleTimeout: Int = 30

    @Flag(help: "Do not serve MCP at /mcp.")
    var noMcp = false

    @Option(help: ArgumentHelp("The author of commits made by MCP tool calls that name none.", valueName: "name"))
    var mcpAuthor: String = "engram-mcp"

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        let (host, port) = try Self.parseListen(listen)
        guard !(noAuth && tokenFile != nil) else { throw CLIError("--no-auth and --token-file exclude each other") }
        guard maxPushBytes > 0, idleTimeout > 0 else { throw CLIError("--max-push-bytes and --idle-timeout must be positive") }
        var configuration = SyncServerConfiguration(host: host, port: port)
        configuration.writeToken = try tokenFile.map(TokenFile.read)
        configuration.readToken = try readTokenFile.map(TokenFile.read)
        configuration.allowsUnauthenticatedPush = noAuth
        configuration.maxPushBodyBytes = maxPushBytes
        configuration.idleTimeoutSeconds = idleTimeout

        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "engram.serve")
        let storeOptions = FileBlockStore.Options(durability: repository.durability.mode)
        let extensions: [any SyncServerExtension] = noMcp ? [] : [MCPHTTPExtension(author: mcpAuthor, logger: Logger(label: "engram.serve.mcp"))]
        let server: SyncServer
        if let root {
            guard repository.path == nil else { throw CLIError("--root and -C exclude each other") }
            server = SyncServer(root: root, storeOptions: storeOptions, configuration: configuration, extensions: extensions, logger: logger)
        } else {
            server = SyncServer(endpoint: RepositoryEndpoint(repository: try openRepository(storeOptions), limits: configuration.limits),
                                configuration: configuration, extensions: extensions, logger: logger)
        }
        let pushes = configuration.writeToken != nil ? "with the write token" : noAuth ? "from anyone" : "refused (no --token-file)"
        logger.info("serving", metadata: ["listen": "\(host):\(port)", "repositories": "\(root ?? repository.root)",
                                          "pushes": "\(pushes)", "reads": "\(configuration.readToken == nil ? "open" : "with a token")",
                                          "mcp": "\(noMcp ? "off" : "at /\(root == nil ? "" : "<name>/")mcp, \(pushes)")"])
        if noAuth, !["127.0.0.1", "::1", "localhost"].contains(host) {
            logger.warning("--no-auth on a non-loopback address: anyone who can connect may push")
        }
        try await server.run()
    }

    private func openRepository(_ options: FileBlockStore.Options) throws -> Repository {
        let opened = Result { () throws(GraphError) in try Repository.open(at: repository.storeDirectory, options: options) }
        if case .failure(.notARepository) = opened {
            throw CLIError.notFound("not an Engram repository: \(repository.root) (no \(RepositoryOptions.storeDirectoryName); run `engram init`)")
        }
        return try opened.get()
    }

    /// `host:port`, `[v6]:port` or `:port` (loopback).
    static func parseListen(_ value: String) throws -> (String, Int) {
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port) else {
            throw CLIError("--listen wants host:port, not '\(value)'")
        }
        var host = String(value[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
